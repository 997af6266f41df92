"""test-net-socket-no-halfopen-enforcer.js: a Socket with allowHalfOpen false
has exactly one 'end' listener of its own (the half-open enforcer is added
once, not twice)."""

import gnet as net


def test_net_socket_no_halfopen_enforcer(common):
    socket = net.Socket({'allowHalfOpen': False})
    assert socket.listenerCount('end') == 1
