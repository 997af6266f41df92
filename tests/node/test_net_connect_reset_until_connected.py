"""test-net-connect-reset-until-connected.js: a client reset (resetAndDestroy)
once both its 'connect' and the server's 'connection' have happened closes,
and the server's side reads ECONNRESET."""

import gnet as net


def barrier(count, cb):
    state = {'count': count}

    def arrive(*_args):
        state['count'] -= 1
        if state['count'] == 0:
            cb()
    return arrive


def test_net_connect_reset_until_connected(common):
    server = net.createServer()

    def on_listening():
        port = server.address()['port']
        conn = net.createConnection(port)
        connok = barrier(2, lambda: conn.resetAndDestroy())
        conn.on('close', common.mustCall())

        def on_connection(socket):
            connok()
            socket.on('error', common.expectsError(
                code='ECONNRESET', message='read ECONNRESET', name='Error'))
            server.close()
        server.on('connection', on_connection)
        conn.on('connect', connok)

    server.listen(0, common.mustCall(on_listening))
    common.run()
