"""A TCP proxy in gnet, a line-by-line port of ``examples/proxy.js``.

Every connection is piped to the target, both ways, with backpressure (a
slow reader on one side pauses the other), and a half-close (FIN) is
forwarded: both sockets are ``allowHalfOpen``, so when one side ends,
``pipe()`` ends the other once everything before the FIN was written, and
the reverse direction keeps flowing.

Run: ``python examples/proxy.py [TARGET_PORT [TARGET_HOST [LISTEN_PORT]]] [--once]``
(defaults 8124, 127.0.0.1, 0 = any free port; ``--once``: serve one connection).
Compare with ``node examples/proxy.js`` (same arguments, same output).
``gnet proxy`` is the full tool (Unix sockets, filters, limits, idle timeout).

What changed from the JavaScript: ``process.argv`` is ``sys.argv``, arrow
functions are named functions (a Python lambda holds one expression),
``Date.now()`` is ``time.time() * 1000``, template strings are ``%``
formatting, and the program ends with ``net.run()`` (Node's event loop runs
implicitly).  The names are Node's: ``import gnet as net`` has them all.
"""

import sys
import time

import gnet as net

args = [arg for arg in sys.argv[1:] if arg != '--once']
once = '--once' in sys.argv
targetPort = int(args[0] if len(args) > 0 else 8124)
targetHost = args[1] if len(args) > 1 else '127.0.0.1'
listenPort = int(args[2] if len(args) > 2 else 0)


def on_client(client):
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


server = net.createServer({'allowHalfOpen': True}, on_client)


def on_listening():
    address, port = server.address()['address'], server.address()['port']
    print('listening on %s:%s' % (address, port), flush=True)


server.listen(listenPort, '127.0.0.1', on_listening)
net.run()
