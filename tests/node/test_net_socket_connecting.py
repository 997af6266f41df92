"""test-net-socket-connecting.js: socket.connecting is true right after
connect() and false in the connect callback.

Left out: Node's legacy ``_connecting`` getter (an undocumented underscore
alias that gnet does not provide)."""

import gnet as net


def test_net_socket_connecting(common):
    def on_connection(conn):
        conn.end()
        server.close()

    def on_listening():
        def on_connect():
            assert client.connecting is False
            client.end()
        client = net.connect(server.address()['port'], on_connect)
        assert client.connecting is True

    server = net.createServer(on_connection).listen(0, on_listening)
    common.run()
