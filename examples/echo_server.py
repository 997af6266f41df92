"""The seed's echo server, line by line from Node's documentation.

    const net = require('node:net');
    const server = net.createServer((c) => {
      console.log('client connected');
      c.on('end', () => { console.log('client disconnected'); });
      c.write('hello\\r\\n');
      c.pipe(c);
    });
    server.on('error', (err) => { throw err; });
    server.listen(8124, () => { console.log('server bound'); });

Run: ``python examples/echo_server.py [port | path]`` and ``nc localhost 8124``.
"""

import sys

import gnet as net


def main(argv):
    where = argv[1] if len(argv) > 1 else 8124

    def on_connection(c):
        print('client connected', flush=True)
        c.on('end', lambda: print('client disconnected', flush=True))
        c.write('hello\r\n')
        c.pipe(c)

    server = net.createServer(on_connection)

    def on_error(err):
        raise err
    server.on('error', on_error)
    server.listen(where, lambda: print('server bound', flush=True))
    net.run()


if __name__ == '__main__':
    main(sys.argv)
