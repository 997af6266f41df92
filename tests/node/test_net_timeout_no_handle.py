"""test-net-timeout-no-handle.js: setTimeout() on a socket that never connects
still emits 'timeout' (while it has no handle), and no 'connect'.

Node asserts ``socket._handle === null`` in the listener; ``socket.pending``
(``!this._handle || this.connecting``, with connecting false) says the same
through the public API."""

import gnet as net


def test_net_timeout_no_handle(common):
    socket = net.Socket()
    socket.setTimeout(common.platformTimeout(50))

    def on_timeout():
        assert socket.connecting is False
        assert socket.pending is True
    socket.on('timeout', common.mustCall(on_timeout))

    socket.on('connect', common.mustNotCall())

    net.setTimeout(lambda: None, common.platformTimeout(200))
    common.run()
