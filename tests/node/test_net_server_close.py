"""test-net-server-close.js: close() returns the server; the server's 'close'
waits until the two connections it still has, destroyed right after, have
closed."""

import gnet as net


def test_net_server_close(common):
    sockets = []

    def on_connection(c):
        c.on('close', common.mustCall())

        sockets.append(c)

        if len(sockets) == 2:
            assert server.close() is server
            for sock in sockets:
                sock.destroy()

    server = net.createServer(on_connection)

    server.on('close', common.mustCall())

    def on_listening():
        net.createConnection(server.address()['port'])
        net.createConnection(server.address()['port'])
    assert server is server.listen(0, on_listening)

    common.run()
