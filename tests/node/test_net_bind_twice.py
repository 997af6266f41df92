"""test-net-bind-twice.js: a second server listening on the port and address
of a first one gets an EADDRINUSE 'error' (and no 'listening')."""

import gnet as net


def test_net_bind_twice(common):
    server1 = net.createServer(common.mustNotCall())

    def on_listening():
        server2 = net.createServer(common.mustNotCall())
        server2.listen(server1.address()['port'], '127.0.0.1', common.mustNotCall())

        def on_error(e):
            assert e.code == 'EADDRINUSE'
            server1.close()
        server2.on('error', common.mustCall(on_error))

    server1.listen(0, '127.0.0.1', common.mustCall(on_listening))
    common.run()
