"""test-net-server-max-connections.js: 20 clients connect one after another to
a server with maxConnections 10: the first 10 are served (they get data), the
other 10 are closed by the server without data; all 20 close."""

import sys

import gnet as net

N = 20


def test_net_server_max_connections(common):
    state = {'closes': 0}
    waits = []

    def on_connection(connection):
        connection.write('hello')
        waits.append(lambda: connection.end())

    server = net.createServer(common.mustCall(on_connection, N // 2))

    server.listen(0, lambda: makeConnection(0))

    server.maxConnections = N // 2

    def makeConnection(index):
        c = net.createConnection(server.address()['port'])
        got = {'data': False}

        def on_connect():
            if index + 1 < N:
                makeConnection(index + 1)

            def on_close(*_):
                print('closed %d' % index, file=sys.stderr, flush=True)
                state['closes'] += 1

                if state['closes'] < N // 2:
                    assert server.maxConnections <= index, \
                        '%d should not have been one of the first closed connections' % index

                if state['closes'] == N // 2:
                    print('calling wait callback.', file=sys.stderr, flush=True)
                    while waits:
                        waits.pop(0)()
                    server.close()

                if index < server.maxConnections:
                    assert got['data'] is True, "%d didn't get data, but should have" % index
                else:
                    assert got['data'] is False, "%d got data, but shouldn't have" % index
            c.on('close', on_close)
        c.on('connect', on_connect)

        c.on('end', lambda: c.end())

        def on_data(b):
            got['data'] = True
            assert len(b) > 0
        c.on('data', on_data)

        def on_error(e):
            print('error %d: %s' % (index, e), file=sys.stderr, flush=True)
        c.on('error', on_error)

    def at_exit():
        assert state['closes'] == N
    common.on_exit(at_exit)

    common.run()
