"""test-net-socket-ready-without-cb.js: Socket.connect() given the server's
address() dict and no callback emits 'ready'; its listener ends the socket."""

import gnet as net


def test_net_socket_ready_without_cb(common):
    def on_connection(conn):
        conn.end()
        server.close()

    def on_listening():
        client = net.Socket()

        client.on('ready', common.mustCall(lambda: client.end()))

        client.connect(server.address())

    server = net.createServer(common.mustCall(on_connection)).listen(
        0, 'localhost', common.mustCall(on_listening))
    common.run()
