"""test-net-server-listen-remove-callback.js: the callback given to listen()
is a one-time 'listening' listener: after the server closed, none is left,
also after listening a second time from 'close'."""

import gnet as net


def test_net_server_listen_remove_callback(common):
    server = net.createServer()

    def on_close(*_):
        listeners = server.listeners('listening')
        print('Closed, listeners:', len(listeners), flush=True)
        assert len(listeners) == 0
    server.on('close', on_close)

    server.listen(0, lambda: server.close())

    def listen_again(*_):
        server.listen(0, lambda: server.close())
    server.once('close', listen_again)

    common.run()
