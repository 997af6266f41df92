"""test-net-listen-error.js: listening on port 1 of an address this host does
not have (1.1.1.1) emits 'error' (EACCES or EADDRNOTAVAIL), never 'listening'."""

import gnet as net


def test_net_listen_error(common):
    server = net.createServer(lambda socket: None)
    server.listen(1, '1.1.1.1', common.mustNotCall())  # EACCES or EADDRNOTAVAIL
    server.on('error', common.mustCall())
    common.run()
