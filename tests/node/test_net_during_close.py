"""test-net-during-close.js: reading remoteAddress, remoteFamily and remotePort
of a client that is still connecting, right after the server was closed, does
not raise.  Node then leaves with process.exit(0); here the client (the only
thing left) is destroyed so the loop ends at once, without waiting for it."""

import gnet as net


def test_net_during_close(common):
    server = net.createServer(lambda socket: socket.end())

    def on_listening():
        client = net.createConnection(server.address()['port'])
        server.close()
        client.remoteAddress
        client.remoteFamily
        client.remotePort
        client.destroy()  # process.exit(0)

    server.listen(0, common.mustCall(on_listening))
    common.run()
