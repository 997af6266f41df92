"""test-net-end-destroyed.js: a client that ends first gets the server's
'end' (the server side ends automatically) while it is not yet destroyed."""

import gnet as net


def test_net_end_destroyed(common):
    server = net.createServer()
    server.on('connection', common.mustCall())

    def on_listening():
        socket = net.createConnection({'port': server.address()['port']})

        def on_connect():
            def on_end():
                assert socket.destroyed is False
                server.close()
            socket.on('end', common.mustCall(on_end))
            socket.end()
        socket.on('connect', common.mustCall(on_connect))

    server.listen(common.mustCall(on_listening))
    common.run()
