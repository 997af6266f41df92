"""test-net-normalize-args.js: socket.connect() given one array argument (the
shape of Node's normalized arguments, but not marked as such) raises
ERR_MISSING_ARGS and never connects.

Left out: the checks of net._normalizeArgs and of connect() with its marked
result (Node's internal normalizeArgs and its private normalizedArgsSymbol,
which gnet does not expose)."""

import gnet as net


def test_net_normalize_args(common):
    server = net.createServer(common.mustNotCall('should not connect'))

    def on_listening():
        port = server.address()['port']
        socket = net.Socket()

        def fail(*_args):
            raise AssertionError('assert.fail')
        try:
            common.throws(lambda: socket.connect([{'port': port}, fail]), code='ERR_MISSING_ARGS')
        finally:
            server.close()

    server.listen(common.mustCall(on_listening))
    common.run()
