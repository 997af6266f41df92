"""test-net-listen-close-server.js: close() right after listen(0) means neither
'listening' (the callback) nor 'error' ever fires."""

import gnet as net


def test_net_listen_close_server(common):
    server = net.createServer(lambda socket: None)
    server.listen(0, common.mustNotCall())
    server.on('error', common.mustNotCall())
    server.close()
    common.run()
