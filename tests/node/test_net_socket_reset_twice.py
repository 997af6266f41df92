"""test-net-socket-reset-twice.js: resetAndDestroy() on a socket whose connect
was refused (from its 'error') is harmless: exactly one 'close'."""

import gnet as net


def test_net_socket_reset_twice(common):
    server = net.createServer()
    server.listen(0)
    port = server.address()['port']
    conn = net.createConnection(port)

    conn.on('error', common.mustCall(lambda *args: conn.resetAndDestroy()))

    conn.on('close', common.mustCall())
    server.close()
    common.run()
