"""A TLS-terminating proxy in gnet, a line-by-line port of ``examples/tls_proxy.js``.

TLS clients connect in front; each connection is piped to a plain TCP
target, both ways, with backpressure, and a half-close is forwarded (the
client's close_notify ends the target's side; the target's FIN becomes our
close_notify).  A client whose handshake fails is the server's
``'tlsClientError'``: reported, and the server serves on.

Run: ``python examples/tls_proxy.py CERT KEY [TARGET_PORT [TARGET_HOST [LISTEN_PORT]]] [--once]``
(CERT and KEY are PEM files; defaults 8124, 127.0.0.1, 0 = any free port;
``--once``: serve one connection).  Compare with ``node examples/tls_proxy.js``
(same arguments, same output).  ``gnet proxy --tls-cert CERT --tls-key KEY``
is the full tool (mutual TLS, TLS to the target, ALPN, filters, limits).

What changed from the JavaScript: ``fs.readFileSync(f)`` is
``open(f, 'rb').read()``, the rest as in ``examples/proxy.py``: named
functions for arrow functions, ``%`` formatting, and ``net.run()`` at the end.
"""

import sys
import time

import gnet as net
import gnet.tls as tls

args = [arg for arg in sys.argv[1:] if arg != '--once']
once = '--once' in sys.argv
certFile, keyFile = args[0], args[1]
targetPort = int(args[2] if len(args) > 2 else 8124)
targetHost = args[3] if len(args) > 3 else '127.0.0.1'
listenPort = int(args[4] if len(args) > 4 else 0)


def read_file(path):
    with open(path, 'rb') as f:
        return f.read()


def on_secure_client(client):
    print('secure: %s' % client.getProtocol(), flush=True)
    upstream = net.createConnection({
        'port': targetPort,
        'host': targetHost,
        'allowHalfOpen': True,
    })
    started = time.time() * 1000
    client.pipe(upstream)
    upstream.pipe(client)

    def fail(err):
        print('proxy error: %s' % err, file=sys.stderr, flush=True)
        client.destroy()
        upstream.destroy()
    client.on('error', fail)
    upstream.on('error', fail)

    def on_close(had_error):
        ms = round(time.time() * 1000 - started)
        print('closed: %d bytes up, %d bytes down, %d ms'
              % (client.bytesRead, client.bytesWritten, ms), flush=True)
    client.on('close', on_close)
    if once:
        server.close()


server = tls.createServer({
    'cert': read_file(certFile),
    'key': read_file(keyFile),
    'allowHalfOpen': True,
}, on_secure_client)


def on_tls_client_error(err, tls_socket):
    print('TLS handshake failed: %s' % err.code, file=sys.stderr, flush=True)


server.on('tlsClientError', on_tls_client_error)


def on_listening():
    address, port = server.address()['address'], server.address()['port']
    print('listening on %s:%s' % (address, port), flush=True)


server.listen(listenPort, '127.0.0.1', on_listening)
net.run()
