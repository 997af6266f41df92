"""test-net-server-call-listen-multiple-times.js: a server may listen again
after its listen failed with EADDRINUSE, or after it was closed; listen()
while listening throws ERR_SERVER_ALREADY_LISTEN."""

import gnet as net


def test_listen_again_after_an_error(common):
    dummyServer = net.Server()
    server = net.Server()

    # a server on the port, so that listening there fails with EADDRINUSE
    def on_dummy_listening():
        server.listen(dummyServer.address()['port'])
    dummyServer.listen(common.mustCall(on_dummy_listening))

    def on_error(e):
        def on_listening():
            dummyServer.close()
            server.close()
        server.listen(common.mustCall(on_listening))
    server.on('error', common.mustCall(on_error))

    common.run()


def test_listen_while_listening_throws(common):
    server = net.Server()

    server.listen(common.mustCall(lambda: server.close()))

    common.throws(lambda: server.listen(), code='ERR_SERVER_ALREADY_LISTEN', name='Error')

    common.run()


def test_listen_again_after_close(common):
    server = net.Server()

    def on_listening():
        server.close()
        server.listen(common.mustCall(lambda: server.close()))
    server.listen(common.mustCall(on_listening))

    common.run()
