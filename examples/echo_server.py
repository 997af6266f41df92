"""The seed's echo server, line by line from Node's documentation.

    const net = require('node:net');
    const server = net.createServer((c) => {
      // 'connection' listener.
      console.log('client connected');
      c.on('end', () => {
        console.log('client disconnected');
      });
      c.write('hello\\r\\n');
      c.pipe(c);
    });
    server.on('error', (err) => {
      throw err;
    });
    server.listen(8124, () => {
      console.log('server bound');
    });

Run: ``python examples/echo_server.py [port | path] [--once]`` (default port
8124; a path containing ``/`` listens on a Unix socket), then
``nc localhost 8124`` or ``nc -U path``, or ``python examples/echo_client.py``.
``--once`` closes the server after its first client disconnects, so the
program ends by itself.
"""

import sys

import gnet as net


def describe(address):
    """``host:port`` (``[v6]:port``) for TCP, the path for a Unix socket."""
    if isinstance(address, dict):
        host = address['address']
        return '%s:%s' % ('[%s]' % host if ':' in host else host, address['port'])
    return address


def main(argv):
    once = '--once' in argv
    args = [arg for arg in argv[1:] if arg != '--once']
    where = args[0] if args else 8124

    def on_connection(c):
        # 'connection' listener.
        print('client connected', flush=True)

        def on_end():
            print('client disconnected', flush=True)
            if once:
                server.close()
        c.on('end', on_end)
        c.write('hello\r\n')
        c.pipe(c)

    server = net.createServer(on_connection)

    def on_error(err):
        raise err
    server.on('error', on_error)

    def on_listening():
        print('server bound', flush=True)
        print('listening on %s' % describe(server.address()), flush=True)
    server.listen(where, on_listening)
    net.run()


if __name__ == '__main__':
    main(sys.argv)
