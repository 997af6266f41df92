"""test-net-remote-address.js: a socket that is still connecting has no
remoteAddress; once connected it has one."""

import gnet as net


def test_net_remote_address(common):
    server = net.createServer()

    def on_listening():
        socket = net.connect({'port': server.address()['port']})

        assert socket.connecting is True
        assert socket.remoteAddress is None

        def on_connect():
            assert (socket.remoteAddress is not None) is True
            socket.end()
        socket.on('connect', common.mustCall(on_connect))

        socket.on('end', common.mustCall(lambda: server.close()))

    server.listen(common.mustCall(on_listening))

    common.run()
