"""test-net-socket-end-callback.js: socket.end() calls its callback in each
form: end(cb), end(data, cb) and end(data, encoding, cb)."""

import gnet as net


def test_net_socket_end_callback(common):
    server = net.createServer(lambda socket: socket.resume()).unref()

    def on_listening():
        def connect(*args):
            socket = net.createConnection(server.address()['port'],
                                          lambda: socket.end(*args))

        cb = common.mustCall(3)

        connect(cb)
        connect('foo', cb)
        connect('foo', 'utf8', cb)

    server.listen(common.mustCall(on_listening))
    common.run()
    server.close()  # what Node's exit does to the unref'd server
