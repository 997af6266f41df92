"""test-net-socket-destroy-twice.js: destroying a socket again from its own
'error' (a refused connect) still gives exactly one 'close'."""

import gnet as net


def test_net_socket_destroy_twice(common):
    server = net.createServer()
    server.listen(0)
    port = server.address()['port']
    conn = net.createConnection(port)

    conn.on('error', common.mustCall(lambda *args: conn.destroy()))

    conn.on('close', common.mustCall())
    server.close()
    common.run()
