"""test-net-socket-destroy-send.js: destroy() returns the socket even when
called again, and a write after destroy calls back with ERR_STREAM_DESTROYED
without emitting 'error'."""

import gnet as net


def test_net_socket_destroy_send(common):
    server = net.createServer()

    def on_listening():
        port = server.address()['port']
        conn = net.createConnection(port)

        def on_connect():
            assert conn is conn.destroy().destroy()
            conn.on('error', common.mustNotCall())

            conn.write(b'kaboom', common.expectsError(
                code='ERR_STREAM_DESTROYED',
                message='Cannot call write after a stream was destroyed',
                name='Error'))
            server.close()
        conn.on('connect', common.mustCall(on_connect))

    server.listen(0, common.mustCall(on_listening))
    common.run()
