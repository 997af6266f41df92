"""test-net-reconnect.js: a client reconnects from its own 'close', N times;
its 'data' listener and its encoding carry over to each new connection."""

import gnet as net


N = 50


def test_net_reconnect(common):
    counts = {'recv': 0, 'end': 0, 'disconnect': 0}

    def on_connection(socket):
        socket.resume()
        socket.write('hello\r\n')
        socket.on('end', lambda: socket.end())

        def on_close(had_error):
            assert had_error is False
        socket.on('close', on_close)

    server = net.createServer(on_connection)

    def on_listening():
        client = net.createConnection(server.address()['port'])
        client.setEncoding('UTF8')
        client.on('connect', lambda: None)

        def on_data(chunk):
            counts['recv'] += 1
            assert chunk == 'hello\r\n'
            client.end()
        client.on('data', on_data)

        def on_end():
            counts['end'] += 1
        client.on('end', on_end)

        def on_close(had_error):
            assert had_error is False
            counts['disconnect'] += 1
            if counts['disconnect'] - 1 < N:
                client.connect(server.address()['port'])  # reconnect
            else:
                server.close()
        client.on('close', on_close)

    server.listen(0, on_listening)

    def at_exit():
        assert counts['disconnect'] == N + 1
        assert counts['recv'] == N + 1
        assert counts['end'] == N + 1
    common.on_exit(at_exit)
    common.run()
