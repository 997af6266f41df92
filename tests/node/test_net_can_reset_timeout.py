"""test-net-can-reset-timeout.js: a server socket's idle 'timeout' fires once,
a write from its listener resets the timer, and the exchange then ends
normally on both sides."""

import gnet as net


def test_net_can_reset_timeout(common):
    def on_connection(stream):
        stream.setTimeout(100)

        stream.resume()

        def on_timeout():
            stream.write('WHAT.')  # resets the timeout
        stream.once('timeout', common.mustCall(on_timeout))

        stream.on('end', common.mustCall(lambda: stream.end()))
    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        c = net.createConnection(server.address()['port'])
        c.on('data', lambda data: c.end())
        c.on('end', lambda: server.close())

    server.listen(0, common.mustCall(on_listening))
    common.run()
