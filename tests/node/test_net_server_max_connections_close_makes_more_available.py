"""test-net-server-max-connections-close-makes-more-available.js: with
maxConnections 1, a second connection is refused while the first is open;
once the first has ended, a new connection is served again and the next one
is refused.  All four clients send; only the first and the third are read.

Node chains the steps with Promises; here each step calls `resolve` (the
first call counts, as a Promise settles once) and the next step starts on
the next tick, as a `.then()` would."""

import sys

import gnet as net


def test_net_server_max_connections_close_makes_more_available(common):
    connections = {}
    received = []
    sent = []

    def createConnection(index, resolve):
        print('creating connection %d' % index, file=sys.stderr, flush=True)

        def on_connect():
            msg = str(index)
            print('sending message: %s' % msg, file=sys.stderr, flush=True)
            connection.write(msg)
            sent.append(msg)
        connection = net.createConnection(server.address()['port'], on_connect)

        def on_error(err):
            assert err.code == 'ECONNRESET'
            resolve()
        connection.on('error', on_error)

        def on_data(e):
            print('connection %d received response' % index, file=sys.stderr, flush=True)
            resolve()
        connection.on('data', on_data)

        def on_end():
            print('ending %d' % index, file=sys.stderr, flush=True)
            resolve()
        connection.on('end', on_end)

        connections[index] = connection

    def closeConnection(index, resolve):
        print('closing connection %d' % index, file=sys.stderr, flush=True)
        connections[index].on('end', lambda: resolve())
        connections[index].end()

    def on_server_connection(socket):
        def on_data(data):
            print('received message: %s' % data.decode(), file=sys.stderr, flush=True)
            received.append(data.decode())
            socket.write('acknowledged')
        socket.on('data', on_data)

    server = net.createServer(on_server_connection)

    server.maxConnections = 1

    def close_server(resolve):
        server.close()
        resolve()

    steps = [
        lambda resolve: createConnection(0, resolve),
        lambda resolve: createConnection(1, resolve),
        lambda resolve: closeConnection(0, resolve),
        lambda resolve: createConnection(2, resolve),
        lambda resolve: createConnection(3, resolve),
        close_server,
        lambda resolve: closeConnection(2, resolve),
    ]

    def run_step(i):
        if i == len(steps):
            return
        settled = []

        def resolve(*_):
            if not settled:
                settled.append(True)
                net.nextTick(run_step, i + 1)
        steps[i](resolve)

    server.listen(0, lambda: run_step(0))

    def at_exit():
        # every connection sent its message...
        assert sent == ['0', '1', '2', '3']
        # ...but only connections 0 and 2 were served
        assert received == ['0', '2']
    common.on_exit(at_exit)

    common.run()
