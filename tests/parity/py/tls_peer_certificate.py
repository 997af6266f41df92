# parity: group
# getPeerCertificate() and getCertificate(): Node's keys and values for the server's leaf
# (seen by the client) and the client's certificate (seen by the server, mutual TLS).
import json

import gnet.tls as tls
import gnet as net
from _trace import log, pki


def stringify(value):  # JSON.stringify's spacing
    return json.dumps(value, separators=(',', ':'), ensure_ascii=False)


def show(who, cert):
    log(who, 'subject', stringify(cert['subject']))
    log(who, 'issuer', stringify(cert['issuer']))
    log(who, 'subjectaltname', cert['subjectaltname'])
    log(who, 'valid', cert['valid_from'], '/', cert['valid_to'])
    log(who, 'fingerprint256', cert['fingerprint256'])
    log(who, 'fingerprint', cert['fingerprint'])
    log(who, 'serialNumber', cert['serialNumber'])
    log(who, 'raw', len(cert['raw']), 'ca', cert['ca'], 'bits', cert['bits'])


server = tls.createServer({'key': pki('leaf.key'), 'cert': pki('leaf.crt'), 'ca': pki('root.crt'),
                           'requestCert': True})


def on_secure_connection(conn):
    show('server peer', conn.getPeerCertificate())
    log('server own', conn.getCertificate()['subject']['CN'])
    conn.end()
    server.close()


server.on('secureConnection', on_secure_connection)


def on_listening():
    def on_secure_connect():
        show('client peer', client.getPeerCertificate())
        detailed = client.getPeerCertificate(True)
        log('client chain', detailed['issuerCertificate']['subject']['CN'],
            detailed['issuerCertificate']['issuerCertificate'] is detailed['issuerCertificate'])
        log('client own', client.getCertificate()['subject']['CN'])
    client = tls.connect({'port': server.address()['port'], 'host': '127.0.0.1', 'ca': pki('root.crt'),
                          'servername': 'localhost', 'key': pki('client.key'), 'cert': pki('client.crt')},
                         on_secure_connect)
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
