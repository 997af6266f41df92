"""test-net-pingpong.js: a client and an allowHalfOpen server exchange 1001
PING/PONG messages over a Unix socket, TCP on a free port and TCP on ::1 (or
127.0.0.1), all at once, checking readable/writable, the write buffer, the
connection count, and the half-close sequence at the end.

Left out: `assert.strictEqual(socket.server, server)` -- gnet does not provide
the undocumented `socket.server` (docs/porting.md); the 'close' listener
closes `server` directly instead of `socket.server`.  Node's
`socket.timeout = 0` (a plain field write that changes nothing when no
timeout was set) is `socket.setTimeout(0)` here: gnet's `timeout` is
read-only."""

import gnet as net

N = 1000


def pingPongTest(common, port, host=None):
    st = {'count': 0, 'sentPongs': 0, 'sent_final_ping': False, 'port': port}

    def onSocket(socket):
        assert server.getConnections(common.mustSucceed(
            lambda connections: _eq(connections, 1))) is server

        socket.setNoDelay()
        socket.setTimeout(0)

        socket.setEncoding('utf8')

        def on_data(data):
            # never more than one message queued: we wait for each PING
            assert socket.bufferSize >= 0 and socket.bufferSize <= 4

            assert socket.writable is True
            assert socket.readable is True
            assert st['count'] <= N
            assert data == 'PING'

            def on_written(*_):
                st['sentPongs'] += 1
            socket.write('PONG', common.mustCall(on_written))
        socket.on('data', common.mustCall(on_data, N + 1))

        def on_end():
            assert socket.allowHalfOpen is True
            assert socket.writable is True  # allowHalfOpen
            assert socket.readable is False
            socket.end()
        socket.on('end', common.mustCall(on_end))

        socket.on('error', common.mustNotCall())

        def on_close(*_):
            assert socket.writable is False
            assert socket.readable is False
            server.close()
        socket.on('close', common.mustCall(on_close))

    server = net.createServer({'allowHalfOpen': True}, common.mustCall(onSocket))

    def on_listening():
        address = server.address()
        if isinstance(address, dict) and address['port']:
            st['port'] = address['port']

        client = net.createConnection(st['port'], host) if host else net.createConnection(st['port'])

        client.setEncoding('ascii')

        def on_connect():
            assert client.readable is True
            assert client.writable is True
            client.write('PING')
        client.on('connect', common.mustCall(on_connect))

        def on_data(data):
            assert data == 'PONG'
            st['count'] += 1

            if st['sent_final_ping']:
                assert client.writable is False
                assert client.readable is True
                return
            assert client.writable is True
            assert client.readable is True

            if st['count'] < N:
                client.write('PING')
            else:
                st['sent_final_ping'] = True
                client.write('PING')
                client.end()
        client.on('data', common.mustCall(on_data, N + 1))

        def on_close(*_):
            assert st['count'] == N + 1
            assert st['sentPongs'] == N + 1
            assert st['sent_final_ping'] is True
        client.on('close', common.mustCall(on_close))

        client.on('error', common.mustNotCall())

    if host:
        server.listen(port, host, common.mustCall(on_listening))
    else:
        server.listen(port, common.mustCall(on_listening))


def _eq(a, b):
    assert a == b


def test_net_pingpong(common):
    common.refresh_tmpdir()
    pingPongTest(common, common.PIPE)
    pingPongTest(common, 0)
    if common.hasIPv6:
        pingPongTest(common, 0, '::1')
    else:
        pingPongTest(common, 0, '127.0.0.1')
    common.run()
