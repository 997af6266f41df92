# parity: group
# Half-close over TLS (allowHalfOpen on both sides): the client ends (close_notify, FIN),
# the server sees 'end', replies and ends; the client reads the reply, then its 'end'.
import gnet.tls as tls
import gnet as net
from _trace import log, pki

server = tls.createServer({'key': pki('leaf.key'), 'cert': pki('leaf.crt'), 'allowHalfOpen': True})


def on_secure_connection(conn):
    got = []
    conn.on('data', lambda d: got.append(d.decode()))

    def on_end():
        log('server end', ''.join(got), conn.writable, conn.readable)
        conn.end('you said ' + ''.join(got))
    conn.on('end', on_end)
    conn.on('finish', lambda: log('server finish'))

    def on_close(had_error):
        log('server close', had_error)
        server.close()
    conn.on('close', on_close)


server.on('secureConnection', on_secure_connection)


def on_listening():
    client = tls.connect({'port': server.address()['port'], 'host': '127.0.0.1', 'ca': pki('root.crt'),
                          'servername': 'localhost', 'allowHalfOpen': True}, lambda: client.end('goodbye'))
    client.on('finish', lambda: log('client finish', client.readable))
    client.on('data', lambda d: log('client data', d.decode()))
    client.on('end', lambda: log('client end', client.writable))
    client.on('close', lambda had_error: log('client close', had_error))


server.listen(0, '127.0.0.1', on_listening)
net.run()
