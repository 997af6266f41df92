"""test-net-connect-destroy.js: destroying a Socket that was never connected
still emits 'close', once."""

import gnet as net


def test_net_connect_destroy(common):
    socket = net.Socket()
    socket.on('close', common.mustCall())
    socket.destroy()
    common.run()
