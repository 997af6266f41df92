# parity: group
# A TLS handshake and an echo: each side's events in order, what each side knows after
# the handshake, and the byte counts (plaintext) after the exchange.
# Node's server 'connection' gives the raw socket, gnet's the TLS socket: only the event is shown.
import gnet.tls as tls
import gnet as net
from _trace import log, pki

server = tls.createServer({'key': pki('leaf.key'), 'cert': pki('leaf.crt')})
server.on('connection', lambda sock: log('server connection'))


def on_secure_connection(conn):
    log('server secureConnection', conn.encrypted, conn.authorized, conn.getProtocol())
    log('server cipher', conn.getCipher()['version'], conn.alpnProtocol, conn.servername)

    def on_data(d):
        log('server data', d.decode())
        conn.end('echo: ' + d.decode())
    conn.on('data', on_data)
    conn.on('end', lambda: log('server end'))

    def on_close(had_error):
        log('server close', had_error, conn.bytesRead, conn.bytesWritten)
        server.close(lambda *a: log('server closed'))
    conn.on('close', on_close)


server.on('secureConnection', on_secure_connection)


def on_listening():
    client = tls.connect({'port': server.address()['port'], 'host': '127.0.0.1', 'ca': pki('root.crt'),
                          'servername': 'localhost'}, lambda: log('client callback'))
    log('client start', client.encrypted, client.authorized,
        client.getCipher(), client.bytesWritten)
    client.on('connect', lambda: log('client connect'))
    client.on('ready', lambda: log('client ready'))

    def on_secure_connect():
        log('client secureConnect', client.authorized, client.authorizationError,
            client.getProtocol(), client.getCipher()['version'])
        log('client alpn', client.alpnProtocol, client.servername)
        client.write('hello')
    client.on('secureConnect', on_secure_connect)
    client.on('secure', lambda: log('client secure'))
    client.on('data', lambda d: log('client data', d.decode()))
    client.on('end', lambda: log('client end'))
    client.on('close', lambda had_error: log('client close', had_error, client.bytesRead,
                                             client.bytesWritten))


server.listen(0, '127.0.0.1', on_listening)
net.run()
