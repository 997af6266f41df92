# parity: group
# ALPN: a protocol both sides know is agreed (both see it); a client that offers none gets
# false; a client whose protocols the server does not know fails the handshake.
import gnet.tls as tls
import gnet as net
from _trace import log, pki

server = tls.createServer({'key': pki('leaf.key'), 'cert': pki('leaf.crt'),
                           'ALPNProtocols': ['h2', 'http/1.1']})


def on_secure_connection(conn):
    log('server secureConnection', conn.alpnProtocol)
    conn.resume()


server.on('secureConnection', on_secure_connection)
server.on('tlsClientError', lambda err, sock: log('server tlsClientError', err.code))
offers = [['http/1.1', 'h2'], ['http/1.1'], None, ['spdy/1']]


def next_client(i):
    if i == len(offers):
        server.close()
        return
    client = tls.connect({'port': server.address()['port'], 'host': '127.0.0.1', 'ca': pki('root.crt'),
                          'servername': 'localhost', 'ALPNProtocols': offers[i] or None})

    def on_secure_connect():
        log('client', i, 'secureConnect', client.alpnProtocol)
        client.end()
    client.on('secureConnect', on_secure_connect)
    client.on('error', lambda err: log('client', i, 'error', err.code))

    def on_close(had_error):
        log('client', i, 'close', had_error)
        next_client(i + 1)
    client.on('close', on_close)


server.listen(0, '127.0.0.1', lambda: next_client(0))
net.run()
