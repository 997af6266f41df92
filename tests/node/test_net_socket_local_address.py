"""test-net-socket-local-address.js: one Socket connects twice in a row
(reconnecting from 'close'); each time its localPort equals the remotePort
the server saw, and connect() returns the socket."""

import gnet as net


def test_net_socket_local_address(common):
    state = {'conns': 0}
    clientLocalPorts = []
    serverRemotePorts = []
    client = net.Socket()

    def on_connection(socket):
        serverRemotePorts.append(socket.remotePort)
        socket.end()

    server = net.createServer(on_connection)

    def on_close(*args):
        assert serverRemotePorts == clientLocalPorts
        assert state['conns'] == 2
    server.on('close', common.mustCall(on_close))

    def connect(*args):
        if state['conns'] == 2:
            server.close()
            return

        state['conns'] += 1
        client.once('close', connect)
        assert client is client.connect(server.address()['port'], common.localhostIPv4,
                                         lambda: clientLocalPorts.append(client.localPort))

    server.listen(0, common.localhostIPv4, connect)
    common.run()
