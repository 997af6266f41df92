"""test-net-server-close-before-calling-lookup-callback.js: a server closed
while its listen() is still looking its host up never emits 'listening'."""

import gnet as net


def test_net_server_close_before_calling_lookup_callback(common):
    net.createServer().listen(0, 'localhost', common.mustNotCall()).close()

    common.run()
