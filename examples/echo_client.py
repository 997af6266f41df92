"""The seed's echo client, line by line from Node's documentation.

    const net = require('node:net');
    const client = net.createConnection({ port: 8124 }, () => {
      // 'connect' listener.
      console.log('connected to server!');
      client.write('world!\\r\\n');
    });
    client.on('data', (data) => {
      console.log(data.toString());
      client.end();
    });
    client.on('end', () => {
      console.log('disconnected from server');
    });

Run: ``python examples/echo_client.py [port | path]`` against
``examples/echo_server.py`` (default port 8124; a path containing ``/`` is a
Unix socket, as ``net.createConnection({ path: '/tmp/echo.sock' })``).  It
ends by itself once the server ends the connection.
"""

import sys

import gnet as net


def main(argv):
    where = argv[1] if len(argv) > 1 else '8124'
    options = {'path': where} if '/' in where else {'port': int(where)}

    def on_connect():
        # 'connect' listener.
        print('connected to server!', flush=True)
        client.write('world!\r\n')
    client = net.createConnection(options, on_connect)

    def on_data(data):
        print(data.decode(), flush=True)
        client.end()
    client.on('data', on_data)
    client.on('end', lambda: print('disconnected from server', flush=True))
    net.run()


if __name__ == '__main__':
    main(sys.argv)
