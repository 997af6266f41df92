"""test-net-server-drop-connections.js: with maxConnections 1, a second
connection is dropped and 'drop' reports its local and remote address, port
and family.

gnet's 'drop' argument is a dict with snake_case keys (docs/api.md):
`data.localAddress` is `data['local_address']`."""

import gnet as net


def test_net_server_drop_connections(common):
    state = {}
    clients = []

    def on_connection(socket):
        state['firstSocket'] = socket
    server = net.createServer(common.mustCall(on_connection))

    server.maxConnections = 1

    def on_drop(data):
        assert bool(data['local_address']) is True
        assert bool(data['local_port']) is True
        assert bool(data['remote_address']) is True
        assert bool(data['remote_port']) is True
        assert bool(data['remote_family']) is True
        state['firstSocket'].destroy()
        server.close()
    server.on('drop', common.mustCall(on_drop))

    def on_listening():
        clients.append(net.createConnection(server.address()['port']))
        clients.append(net.createConnection(server.address()['port']))
    server.listen(0, on_listening)

    try:
        common.run()
    finally:
        # after a failure, Node's process would exit with these open; here the next test goes on
        for sock in clients:
            sock.destroy()
        server.close()
