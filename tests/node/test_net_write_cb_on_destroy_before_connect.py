"""test-net-write-cb-on-destroy-before-connect.js: a write queued while
connecting calls back with ERR_SOCKET_CLOSED_BEFORE_CONNECTION when the
socket is destroyed before it connects; 'connect' never fires."""

import gnet as net


def test_net_write_cb_on_destroy_before_connect(common):
    server = net.createServer()

    def on_listening():
        socket = net.Socket()

        socket.on('connect', common.mustNotCall())

        socket.connect({
            'port': server.address()['port'],
        })

        assert socket.connecting

        socket.write('foo', common.expectsError(
            code='ERR_SOCKET_CLOSED_BEFORE_CONNECTION',
            name='Error'))

        socket.destroy()
        server.close()

    server.listen(0, common.mustCall(on_listening))
    common.run()
