# parity: group
# A client with allowHalfOpen: after the server's end it may still write.
import gnet as net
from _trace import log


def on_connection(conn):
    got = []
    conn.on('data', got.append)
    conn.on('end', lambda: log('server end', b''.join(got).decode()))
    conn.on('close', lambda had_error: server.close())
    conn.end('server done')


server = net.createServer(on_connection)


def on_listening():
    client = net.connect({'port': server.address()['port'], 'host': '127.0.0.1',
                          'allowHalfOpen': True})
    client.on('data', lambda d: log('client data', d.decode()))

    def on_end():
        log('client end', client.writable, client.readyState)
        client.end('late from client')
    client.on('end', on_end)
    client.on('close', lambda had_error: log('client close', had_error))


server.listen(0, '127.0.0.1', on_listening)
net.run()
