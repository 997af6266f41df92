"""test-net-buffersize.js: bufferSize counts the bytes written while the
socket is still connecting, one more per write, and is 0 again at
'finish'."""

import gnet as net

ITER = 10


def test_net_buffersize(common):
    def on_connection(socket):
        socket.on('readable', lambda: socket.read())
        socket.on('end', lambda: server.close())
    server = net.createServer(on_connection)

    def on_listening():
        client = net.connect(server.address()['port'])

        def on_finish():
            assert client.bufferSize == 0
        client.on('finish', common.mustCall(on_finish))

        for i in range(1, ITER):
            client.write('a')
            assert client.bufferSize == i

        client.end()

    server.listen(0, common.mustCall(on_listening))
    common.run()
