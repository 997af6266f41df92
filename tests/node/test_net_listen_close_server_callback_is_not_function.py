"""test-net-listen-close-server-callback-is-not-function.js: close() with a
non-function argument right after listen() still closes the server ('close'
fires) and the listen callback never runs."""

import gnet as net


def test_net_listen_close_server_callback_is_not_function(common):
    server = net.createServer(common.mustNotCall())
    server.on('close', common.mustCall())
    server.listen(0, common.mustNotCall())
    server.close('bad argument')
    common.run()
