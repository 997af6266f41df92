"""test-net-connect-reset-before-connected.js: resetAndDestroy() then destroy()
on a client still connecting neither connects nor emits 'error'."""

import gnet as net


def test_net_connect_reset_before_connected(common):
    server = net.createServer()
    server.listen(0)
    port = server.address()['port']
    socket = net.connect(port, common.localhostIPv4, common.mustNotCall())
    socket.on('error', common.mustNotCall())
    server.close()
    socket.resetAndDestroy()
    socket.destroy()
    common.run()
