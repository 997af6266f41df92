"""test-net-better-error-messages-listen.js: a listen() that fails (port 1 on
1.1.1.1, an address this host does not have) emits an 'error' carrying the
address, the port and the syscall ('listen')."""

import gnet as net


def test_net_better_error_messages_listen(common):
    server = net.createServer(common.mustNotCall())
    server.listen(1, '1.1.1.1', common.mustNotCall())

    def on_error(e):
        assert e.address == '1.1.1.1'
        assert e.port == 1
        assert e.syscall == 'listen'
    server.on('error', common.mustCall(on_error))
    common.run()
