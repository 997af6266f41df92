# parity: group
# STARTTLS: a plain connection exchanges a line, then both ends upgrade it in place
# (the client with tls.connect({socket}), the server with new TLSSocket(sock, {isServer})).
import gnet.tls as tls
import gnet as net
from _trace import log, pki

context = tls.createSecureContext({'key': pki('leaf.key'), 'cert': pki('leaf.crt')})


def on_connection(conn):
    def on_line(line):
        log('server plain', line.decode().strip())
        conn.write('GO AHEAD\n')
        secure = tls.TLSSocket(conn, {'isServer': True, 'secureContext': context})
        secure.on('secure', lambda: log('server secure', secure.encrypted, secure.getProtocol()))

        def on_data(d):
            log('server data', d.decode())
            secure.end(d.decode().upper())
        secure.on('data', on_data)

        def on_close(had_error):
            log('server close')
            server.close()
        secure.on('close', on_close)
    conn.once('data', on_line)


server = net.createServer(on_connection)


def on_listening():
    plain = net.connect(server.address()['port'], '127.0.0.1', lambda: plain.write('STARTTLS\n'))

    def on_line(line):
        log('client plain', line.decode().strip())

        def on_secure_connect():
            log('client secureConnect', secure.authorized, secure.getProtocol())
            secure.write('now private')
        secure = tls.connect({'socket': plain, 'ca': pki('root.crt'), 'servername': 'localhost'},
                             on_secure_connect)
        secure.on('data', lambda d: log('client data', d.decode()))
        secure.on('end', lambda: log('client end'))
        secure.on('close', lambda had_error: log('client close', had_error))
    plain.once('data', on_line)


server.listen(0, '127.0.0.1', on_listening)
net.run()
