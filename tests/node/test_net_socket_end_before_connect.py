"""test-net-socket-end-before-connect.js: end() called while still connecting
leads to 'close' once the connection is made and finished."""

import gnet as net


def test_net_socket_end_before_connect(common):
    server = net.createServer()

    def on_listening():
        socket = net.createConnection(server.address()['port'])
        socket.on('close', common.mustCall(lambda *args: server.close()))
        socket.end()

    server.listen(common.mustCall(on_listening))
    common.run()
