"""test-net-eaddrinuse.js: a second server listening on the port of the first
gets an EADDRINUSE 'error'."""

import gnet as net


def test_net_eaddrinuse(common):
    server1 = net.createServer(lambda socket: None)
    server2 = net.createServer(lambda socket: None)

    def on_listening():
        def on_error(error):
            assert ('EADDRINUSE' in str(error)) is True
            server1.close()
        server2.on('error', on_error)
        server2.listen(server1.address()['port'])

    server1.listen(0, common.mustCall(on_listening))
    common.run()
