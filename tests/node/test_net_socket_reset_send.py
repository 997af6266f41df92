"""test-net-socket-reset-send.js: resetAndDestroy() returns the socket (and so
does destroy() after it); the peer gets ECONNRESET ('read ECONNRESET') and a
later write calls back with ERR_STREAM_DESTROYED without an 'error'."""

import gnet as net


def test_net_socket_reset_send(common):
    server = net.createServer()

    def on_listening():
        port = server.address()['port']
        conn = net.createConnection(port)

        def on_connection(socket):
            socket.on('error', common.expectsError(
                code='ECONNRESET',
                message='read ECONNRESET',
                name='Error'))
        server.on('connection', on_connection)

        def on_connect():
            assert conn is conn.resetAndDestroy().destroy()
            conn.on('error', common.mustNotCall())

            conn.write(b'fzfzfzfzfz', common.expectsError(
                code='ERR_STREAM_DESTROYED',
                message='Cannot call write after a stream was destroyed',
                name='Error'))
            server.close()
        conn.on('connect', common.mustCall(on_connect))

    server.listen(0, common.mustCall(on_listening))
    common.run()
