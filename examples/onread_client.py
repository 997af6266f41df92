"""A client that reads into one reused buffer: the seed's ``onread`` example.

    const net = require('node:net');
    net.connect({
      port: 80,
      onread: {
        // Reuses a 4KiB Buffer for every read from the socket.
        buffer: Buffer.alloc(4 * 1024),
        callback: function(nread, buf) {
          // Received data is available in `buf` from 0 to `nread`.
          console.log(buf.toString('utf8', 0, nread));
        }
      }
    });

Run: ``python examples/onread_client.py [port | path]``.  Without an
argument it first starts a small server on a free port that sends 1,000
numbered lines and ends, so the example is self-contained.  The callback
receives the very ``bytearray`` passed in (no per-read allocation; Node's
``Buffer`` becomes a ``bytearray`` or a writable ``memoryview``).  At the
end it prints ``received N bytes in M reads into one 4096-byte buffer``.
"""

import sys

import gnet as net

LINES = 1000


def demo_server(ready):
    """Listen on a free loopback port; send LINES numbered lines to each client."""
    def on_connection(socket):
        socket.end(''.join('line %d\n' % i for i in range(LINES)))
        server.close()  # one client is all the demo needs
    server = net.createServer(on_connection)
    server.listen(0, '127.0.0.1', lambda: ready({'port': server.address()['port'],
                                                 'host': '127.0.0.1'}))


def connect(options):
    buffer = bytearray(4 * 1024)
    stats = {'bytes': 0, 'reads': 0, 'same_buffer': True}

    def callback(nread, buf):
        # Received data is available in `buf` from 0 to `nread`.
        stats['bytes'] += nread
        stats['reads'] += 1
        stats['same_buffer'] = stats['same_buffer'] and buf is buffer
        sys.stdout.write(bytes(buf[:nread]).decode('utf8'))

    socket = net.connect(dict(options, onread={
        # Reuses a 4KiB buffer for every read from the socket.
        'buffer': buffer,
        'callback': callback,
    }))

    def on_end():
        print('received %(bytes)d bytes in %(reads)d reads into one 4096-byte buffer'
              % stats, flush=True)
        if not stats['same_buffer']:
            print('error: the callback was given another buffer', flush=True)
    socket.on('end', on_end)


def main(argv):
    if len(argv) > 1:
        where = argv[1]
        connect({'path': where} if '/' in where else {'port': int(where)})
    else:
        demo_server(connect)
    net.run()


if __name__ == '__main__':
    main(sys.argv)
