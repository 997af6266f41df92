"""test-net-server-try-ports.js: listening on a port in use emits EADDRINUSE,
after which the same server can listen on a free port."""

import gnet as net


def test_net_server_try_ports(common):
    server1 = net.Server()

    server2 = net.Server()

    def on_error(e):
        assert e.code == 'EADDRINUSE'

        def on_listening():
            server1.close()
            server2.close()
        server2.listen(0, common.mustCall(on_listening))
    server2.on('error', common.mustCall(on_error))

    def on_server1_listening():
        # server2 gets EADDRINUSE
        server2.listen(server1.address()['port'])
    server1.listen(0, common.mustCall(on_server1_listening))

    common.run()
