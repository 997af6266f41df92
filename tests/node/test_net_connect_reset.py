"""test-net-connect-reset.js: resetAndDestroy() on a Socket that never
connected emits 'error' ERR_SOCKET_CLOSED."""

import gnet as net


def test_net_connect_reset(common):
    socket = net.Socket()
    socket.resetAndDestroy()
    socket.on('error', common.mustCall(
        common.expectsError(code='ERR_SOCKET_CLOSED', name='Error')))
    common.run()
