"""test-net-socket-write-error.js: writing a number to a connected socket
throws ERR_INVALID_ARG_TYPE (a TypeError) and emits no 'error'."""

import gnet as net


def test_net_socket_write_error(common):
    def connectToServer():
        def on_connect():
            client.on('error', common.mustNotCall())
            common.throws(lambda: client.write(1337),
                          code='ERR_INVALID_ARG_TYPE', name='TypeError')

            client.destroy()
        client = net.createConnection(server.address()['port'], on_connect)
        client.on('close', lambda *args: server.close())

    server = net.createServer().listen(0, connectToServer)
    common.run()
