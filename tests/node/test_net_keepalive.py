"""test-net-keepalive.js: with setKeepAlive(true, 50 ms) on the server side and
no idle timeout on either side, both ends of an idle connection are still
'open' 100 ms later; then both end and the server closes."""

import gnet as net


def test_net_keepalive(common):
    state = {'serverConnection': None, 'clientConnection': None}

    def on_connection(connection):
        state['serverConnection'] = connection

        def check():
            assert state['serverConnection'].readyState == 'open'
            assert state['clientConnection'].readyState == 'open'
            state['serverConnection'].end()
            state['clientConnection'].end()
            echoServer.close()
        net.setTimeout(common.mustCall(check, 1), common.platformTimeout(100))
        connection.setTimeout(0)
        assert connection.setKeepAlive is not None
        connection.setKeepAlive(True, common.platformTimeout(50))
        connection.on('end', lambda: connection.end())

    echoServer = net.createServer(on_connection)
    echoServer.listen(0)

    def on_listening():
        state['clientConnection'] = net.createConnection(echoServer.address()['port'])
        state['clientConnection'].setTimeout(0)
    echoServer.on('listening', on_listening)
    common.run()
