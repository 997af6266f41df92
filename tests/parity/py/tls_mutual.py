# parity: group
# Mutual TLS: a client certificate the server's CA signed is authorized (the server sees
# its subject); a client without a certificate is refused (the server's tlsClientError);
# without rejectUnauthorized it gets in, unauthorized.
import gnet.tls as tls
import gnet as net
from _trace import log, pki

cases = [
    ['with-cert', True, 'client'],
    ['without-cert', True, None],
    ['untrusted-cert', True, 'self_signed'],
    ['lenient-without-cert', False, None],
    ['lenient-untrusted-cert', False, 'self_signed'],
]


def next_case(i):
    if i == len(cases):
        return
    name, reject, cred = cases[i]
    server = tls.createServer({'key': pki('leaf.key'), 'cert': pki('leaf.crt'), 'ca': pki('root.crt'),
                               'requestCert': True, 'rejectUnauthorized': reject})

    def on_secure_connection(conn):
        peer = conn.getPeerCertificate()
        log('server', name, 'secureConnection', conn.authorized, conn.authorizationError)
        log('server', name, 'peer', peer.get('subject') and peer['subject']['CN'],
            peer.get('issuer') and peer['issuer']['CN'], len(peer) > 0)
        conn.on('error', lambda err: None)
        conn.end('bye')
    server.on('secureConnection', on_secure_connection)
    server.on('tlsClientError', lambda err, sock: log('server', name, 'tlsClientError', err.code))

    def on_listening():
        options = {'port': server.address()['port'], 'host': '127.0.0.1', 'ca': pki('root.crt'),
                   'servername': 'localhost'}
        if cred:
            options['key'] = pki(cred + '.key')
            options['cert'] = pki(cred + '.crt')
        client = tls.connect(options)
        client.on('secureConnect', lambda: log('client', name, 'secureConnect', client.authorized))
        client.on('data', lambda d: log('client', name, 'data', d.decode()))
        client.on('error', lambda err: log('client', name, 'error', err.code))

        def on_close(had_error):
            log('client', name, 'close')
            server.close(lambda *a: next_case(i + 1))
        client.on('close', on_close)
    server.listen(0, '127.0.0.1', on_listening)


next_case(0)
net.run()
