"""test-net-local-address-port.js: an accepted socket's localAddress,
localPort and localFamily are the server's address, port and family."""

import gnet as net


def test_net_local_address_port(common):
    def on_connection(socket):
        assert socket.localAddress == common.localhostIPv4
        assert socket.localPort == server.address()['port']
        assert socket.localFamily == server.address()['family']
        socket.on('end', lambda: server.close())
        socket.resume()

    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        client = net.createConnection(server.address()['port'], common.localhostIPv4)
        client.on('connect', lambda: client.end())

    server.listen(0, common.localhostIPv4, on_listening)
    common.run()
