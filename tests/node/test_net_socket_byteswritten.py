"""test-net-socket-byteswritten.js: two writes corked on a socket that is
still connecting (then uncorked, so they go out as one writev) count in
bytesWritten at once: 3 + 4 bytes, also at 'connect' and at 'end'."""

import gnet as net


def test_net_socket_byteswritten(common):
    opened = []

    def on_connection(socket):
        opened.append(socket)  # (to release it at the end: see below)
        socket.end()
    server = net.createServer(on_connection)

    def on_listening():
        socket = net.connect(server.address()['port'])
        opened.append(socket)

        # corked, two writes become one writev
        socket.cork()

        socket.write('one')
        socket.write('twø'.encode('utf8'))

        socket.uncork()

        # 'one' is 3 bytes, 'twø' 4
        assert socket.bytesWritten == 3 + 4

        def on_connect():
            assert socket.bytesWritten == 3 + 4
        socket.on('connect', common.mustCall(on_connect))

        def on_end():
            assert socket.bytesWritten == 3 + 4

            server.close()
        socket.on('end', common.mustCall(on_end))
    server.listen(0, common.mustCall(on_listening))

    try:
        common.run()
    finally:
        # Node's process exits with the server's socket open (its data unread), and after
        # a failure with the others too; here the next test goes on
        for sock in opened:
            sock.destroy()
        server.close()
