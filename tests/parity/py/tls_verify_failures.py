# A server certificate the client cannot trust: Node's codes and messages with
# rejectUnauthorized (an 'error', no 'secureConnect'), and authorized/authorizationError
# without it. One case after the other.
import gnet.tls as tls
import gnet as net
from _trace import log, pki

cases = [
    ['trusted', 'leaf', 'root.crt', 'a.test'],
    ['self-signed', 'self_signed', 'root.crt', None],
    ['expired', 'expired', 'root.crt', None],
    ['unknown-ca', 'leaf', 'other_root.crt', None],
    ['altname', 'leaf', 'root.crt', 'b.test'],
]


def attempt(server, c, reject, done):
    client = tls.connect({'port': server.address()['port'], 'host': '127.0.0.1', 'ca': pki(c[2]),
                          'servername': c[3] or None, 'rejectUnauthorized': reject})

    def on_secure_connect():
        log(c[0], reject, 'secureConnect', client.authorized, client.authorizationError)
        client.end()
    client.on('secureConnect', on_secure_connect)
    client.on('error', lambda err: log(c[0], reject, 'error', err.code, str(err)))

    def on_close(had_error):
        log(c[0], reject, 'close', had_error)
        done()
    client.on('close', on_close)


def next_case(i):
    if i == len(cases):
        return
    c = cases[i]
    server = tls.createServer({'key': pki(c[1] + '.key'), 'cert': pki(c[1] + '.crt')})
    server.on('tlsClientError', lambda *a: None)

    def on_secure_connection(conn):
        conn.on('error', lambda err: None)
        conn.resume()
    server.on('secureConnection', on_secure_connection)

    def finish():
        server.close()
        next_case(i + 1)
    server.listen(0, '127.0.0.1', lambda: attempt(server, c, True, lambda: attempt(server, c, False, finish)))


next_case(0)
net.run()
