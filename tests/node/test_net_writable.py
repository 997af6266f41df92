"""test-net-writable.js: after the server ends the connection, the client's
'end' (allowHalfOpen false) still finds socket.writable true, and a write
there does not crash."""

import gnet as net



def test_net_writable(common):
    left = []

    def on_connection(s):
        left.append(s)
        server.close()
        s.end()

    def on_listening():
        socket = net.connect(server.address()['port'], '127.0.0.1')
        left.append(socket)

        def on_end():
            assert socket.writable is True
            socket.write('hello world')
        socket.on('end', common.mustCall(on_end))

    server = net.createServer(common.mustCall(on_connection)).listen(
        0, '127.0.0.1', common.mustCall(on_listening))
    try:
        common.run()
    finally:
        for sock in left:  # as Node's exit would, should the loop hang
            sock.destroy()
