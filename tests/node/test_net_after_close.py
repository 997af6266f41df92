"""test-net-after-close.js: once a client socket has closed, its methods and
properties (setNoDelay, setKeepAlive, bufferSize, pause, resume, address,
remoteAddress, remotePort) can still be used without raising.

Left out: Node's ``c._handle === null`` (Node's internal handle slot).
"""

import gnet as net


def test_net_after_close(common):
    def on_connection(s):
        s.end()
    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        c = net.createConnection(server.address()['port'])

        def on_close(had_error=False):
            # everything below must not raise on a closed socket
            c.setNoDelay()
            c.setKeepAlive()
            c.bufferSize  # noqa: B018 - reading must not raise
            c.pause()
            c.resume()
            c.address()
            c.remoteAddress  # noqa: B018 - reading must not raise
            c.remotePort  # noqa: B018 - reading must not raise
            server.close()
        c.on('close', common.mustCall(on_close))

    server.listen(0, common.mustCall(on_listening))
    common.run()
