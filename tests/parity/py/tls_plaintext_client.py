# parity: group
# A client that speaks plain text to a TLS server: the server's tlsClientError (with
# OpenSSL's reason), the client sees the connection end; the server serves on.
import gnet.tls as tls
import gnet as net
from _trace import log, pki

server = tls.createServer({'key': pki('leaf.key'), 'cert': pki('leaf.crt')})
server.on('tlsClientError', lambda err, sock: log('server tlsClientError', err.code, err.library, err.reason,
                                                  sock.destroyed))
server.on('secureConnection', lambda conn: log('server secureConnection?!'))
lines = ['GET / HTTP/1.0\r\n\r\n', 'hello, plain world\r\n']


def next_client(i):
    if i == len(lines):
        server.close(lambda *a: log('server closed'))
        return
    client = net.connect(server.address()['port'], '127.0.0.1', lambda: client.write(lines[i]))
    client.on('data', lambda d: log('client', i, 'data', len(d)))
    client.on('end', lambda: log('client', i, 'end'))
    client.on('error', lambda err: log('client', i, 'error', err.code))

    def on_close(had_error):
        log('client', i, 'close')
        next_client(i + 1)
    client.on('close', on_close)


server.listen(0, '127.0.0.1', lambda: next_client(0))
net.run()
