"""test-net-persistent-keepalive.js: a client that enabled keep-alive (400 ms)
before connecting, with idle timeouts disabled on both ends, is still open on
both sides 600 ms later; then both ends close."""

import gnet as net


def test_net_persistent_keepalive(common):
    state = {}

    def on_connection(connection):
        state['serverConnection'] = connection

        def check_still_open():
            assert state['serverConnection'].readyState == 'open'
            assert state['clientConnection'].readyState == 'open'
            state['serverConnection'].end()
            state['clientConnection'].end()
            echoServer.close()
        net.setTimeout(check_still_open, 600)
        connection.setTimeout(0)
        assert callable(connection.setKeepAlive)
        connection.on('end', lambda: connection.end())

    echoServer = net.createServer(on_connection)
    echoServer.listen(0)

    def on_listening():
        clientConnection = state['clientConnection'] = net.Socket()
        s = clientConnection.setKeepAlive(True, 400)
        assert isinstance(s, net.Socket)
        clientConnection.connect(echoServer.address()['port'])
        clientConnection.setTimeout(0)
    echoServer.on('listening', on_listening)

    common.run()
