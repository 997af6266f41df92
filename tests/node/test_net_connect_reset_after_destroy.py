"""test-net-connect-reset-after-destroy.js: resetAndDestroy() on a connected
client returns the socket (destroy() after it too); the server side reads
ECONNRESET, and a later write gets ERR_STREAM_DESTROYED in its callback
without an 'error' event."""

import gnet as net


def test_net_connect_reset_after_destroy(common):
    server = net.createServer()

    def on_listening():
        port = server.address()['port']
        conn = net.createConnection(port)

        def on_connection(socket):
            socket.on('error', common.expectsError(
                code='ECONNRESET', message='read ECONNRESET', name='Error'))
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
