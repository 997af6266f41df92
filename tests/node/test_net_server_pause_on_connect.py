"""test-net-server-pause-on-connect.js: a socket accepted by a pauseOnConnect
server reads nothing (bytesRead 0, no 'data') until resume(), while a socket
of a server without the option reads at once."""

import gnet as net

msg = 'test'


def test_net_server_pause_on_connect(common):
    state = {'stopped': True, 'server1Sock': None}

    def server1ConnHandler(socket):
        def on_data(data):
            if state['stopped']:
                raise AssertionError('data event should not have happened yet')

            assert data.decode() == msg
            socket.end()
            server1.close()
        socket.on('data', on_data)

        state['server1Sock'] = socket

    server1 = net.createServer({'pauseOnConnect': True}, server1ConnHandler)

    def server2ConnHandler(socket):
        def on_data(data):
            assert data.decode() == msg
            socket.end()
            server2.close()

            assert state['server1Sock'].bytesRead == 0
            state['server1Sock'].resume()
            state['stopped'] = False
        socket.on('data', on_data)

    server2 = net.createServer({'pauseOnConnect': False}, server2ConnHandler)

    def on_server1_listening():
        def clientHandler(*_):
            def on_server2_listening():
                net.createConnection({'port': server2.address()['port']}).write(msg)
            server2.listen(0, on_server2_listening)
        net.createConnection({'port': server1.address()['port']}).write(
            msg, common.mustCall(clientHandler))
    server1.listen(0, on_server1_listening)

    def at_exit():
        assert state['stopped'] is False
    common.on_exit(at_exit)

    common.run()
