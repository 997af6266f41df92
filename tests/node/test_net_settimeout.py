"""test-net-settimeout.js: setTimeout() returns the socket, and setTimeout(0)
cancels an idle timeout set before, so its callback never runs even after
twice the delay of silence."""

import gnet as net

T = 100


def test_net_settimeout(common):
    server = net.createServer(common.mustCall(lambda c: c.write('hello')))

    def on_listening():
        socket = net.createConnection(server.address()['port'], 'localhost')

        s = socket.setTimeout(T, common.mustNotCall())
        assert isinstance(s, net.Socket)

        def on_data(*_):
            def later():
                socket.destroy()
                server.close()
            net.setTimeout(later, T * 2)
        socket.on('data', common.mustCall(on_data))

        socket.setTimeout(0)
    server.listen(0, on_listening)

    common.run()
