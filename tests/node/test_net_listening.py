"""test-net-listening.js: server.listening is false before listen(), true in
the listen callback, and false again in the close callback."""

import gnet as net


def test_net_listening(common):
    server = net.createServer()
    assert server.listening is False

    def on_listening():
        assert server.listening is True

        def on_close(err=None):
            assert server.listening is False
        server.close(common.mustCall(on_close))

    server.listen(0, common.mustCall(on_listening))
    common.run()
