"""test-net-write-after-close.js: once the client's end() has closed the
connection both ways (allowHalfOpen false), a write on the server's socket
calls back with an error and emits no 'error'."""

import gnet as net


def test_net_write_after_close(common):
    state = {}

    def on_connection(socket):
        state['serverSocket'] = socket

        socket.resume()

        socket.on('error', common.mustNotCall())

    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        def on_connect():
            def on_end():
                def on_written(err):
                    assert err
                    server.close()
                state['serverSocket'].write('test', common.mustCall(on_written))
            client.on('end', common.mustCall(on_end))
            client.end()
        client = net.connect(server.address()['port'], on_connect)

    server.listen(0, on_listening)
    common.run()
