"""test-net-end-without-connect.js: end() on a Socket that never connected
does not raise."""

import gnet as net


def test_net_end_without_connect(common):
    sock = net.Socket()
    sock.end()  # must not raise
    common.run()
