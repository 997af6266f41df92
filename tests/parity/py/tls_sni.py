# parity: group
# SNI: the server sees the name the client sent (false without one); an SNICallback
# chooses the context per name, or refuses the name.
import gnet.tls as tls
import gnet as net
from _trace import log, pki

other = tls.createSecureContext({'key': pki('inter_leaf.key'), 'cert': pki('inter_leaf.chain.pem')})


def sni_callback(name, cb):
    log('server SNICallback', name)
    if name == 'refused.test':
        cb(Exception('not here'))
    else:
        cb(None, other if name == 'other.test' else None)


server = tls.createServer({
    'key': pki('leaf.key'),
    'cert': pki('leaf.crt'),
    'SNICallback': sni_callback,
})


def on_secure_connection(conn):
    log('server secureConnection', conn.servername)
    conn.end()


server.on('secureConnection', on_secure_connection)
server.on('tlsClientError', lambda err, sock: log('server tlsClientError', getattr(err, 'code', None), str(err)))
names = ['a.test', 'other.test', None, 'refused.test']


def next_client(i):
    if i == len(names):
        server.close()
        return
    client = tls.connect({'port': server.address()['port'], 'host': '127.0.0.1', 'ca': pki('root.crt'),
                          'servername': names[i] or None, 'checkServerIdentity': lambda *a: None})

    def on_secure_connect():
        cert = client.getPeerCertificate()
        log('client', i, 'secureConnect', client.authorized, cert['issuer']['CN'])
    client.on('secureConnect', on_secure_connect)
    client.on('error', lambda err: log('client', i, 'error', err.code))

    def on_close(had_error):
        log('client', i, 'close', had_error)
        next_client(i + 1)
    client.on('close', on_close)
    client.resume()


server.listen(0, '127.0.0.1', lambda: next_client(0))
net.run()
