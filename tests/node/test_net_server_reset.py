"""test-net-server-reset.js: close() returns the server; the server's two
connections, reset with resetAndDestroy(), close, and each client gets
ECONNRESET; the server's 'close' follows."""

import gnet as net


def test_net_server_reset(common):
    sockets = []

    def on_connection(c):
        c.on('close', common.mustCall())

        sockets.append(c)

        if len(sockets) == 2:
            assert server.close() is server
            for sock in sockets:
                sock.resetAndDestroy()

    server = net.createServer(on_connection)

    server.on('close', common.mustCall())

    def on_error(error):
        assert error.code == 'ECONNRESET'

    def on_listening():
        net.createConnection(server.address()['port']).on('error', common.mustCall(on_error))
        net.createConnection(server.address()['port']).on('error', common.mustCall(on_error))
    assert server is server.listen(0, on_listening)

    common.run()
