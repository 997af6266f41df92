"""test-net-socket-close-after-end.js: a server socket that ends its side and
reads the peer's data late (100 ms after 'readable', with read()) still
emits 'end' before 'close'."""

import gnet as net


def test_net_socket_close_after_end(common):
    server = net.createServer()
    opened = []

    def on_connection(socket):
        state = {'endEmitted': False}

        def on_readable():
            net.setTimeout(lambda: socket.read(), common.platformTimeout(100))
        socket.once('readable', on_readable)

        def on_end():
            state['endEmitted'] = True
        socket.on('end', on_end)

        def on_close(*_):
            assert state['endEmitted']
            server.close()
        socket.on('close', on_close)
        socket.end('foo')
    server.on('connection', on_connection)

    def on_listening():
        socket = net.createConnection(server.address()['port'], lambda: socket.end('foo'))
        opened.append(socket)
    server.listen(common.mustCall(on_listening))

    try:
        common.run()
    finally:
        # Node's process exits with the client open; here the next test goes on
        for sock in opened:
            sock.destroy()
        server.close()
