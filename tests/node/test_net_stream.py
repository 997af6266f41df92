"""test-net-stream.js: a server queues 20 MB and ends; the client pauses on
its first 'data' and destroys itself 20 ms later: the server's socket gets
one 'error', is destroyed, and closes."""

import gnet as net

SIZE = int(2E6)
N = 10


def test_net_stream(common):
    buf = b'a' * SIZE

    def on_connection(socket):
        socket.setNoDelay()

        socket.on('error', common.mustCall(lambda err: socket.destroy())) \
              .on('close', common.mustCall(lambda *args: server.close()))

        for i in range(N):
            socket.write(buf, lambda err: None)
        socket.end()

    def on_listening():
        conn = net.connect(server.address()['port'])

        def on_data(buf):
            assert conn is conn.pause()
            net.setTimeout(lambda: conn.destroy(), 20)
        conn.on('data', on_data)

    server = net.createServer(on_connection).listen(0, on_listening)
    common.run()
