"""test-net-allow-half-open.js: a client without allowHalfOpen that receives
the server's FIN ends its own side properly ('end', 'finish', 'close'; not
destroyed at 'end' or 'finish'), both when it ends by itself in reaction and
when it had already called end()."""


import gnet as net


def test_end_after_peer_fin(common):
    def on_connection(socket):
        socket.end(bytes(1024))
    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        socket = net.connect(server.address()['port'])
        assert socket.allowHalfOpen is False
        socket.resume()

        def on_end():
            def later():
                # not destroyed straight away, without a proper shutdown
                assert not socket.destroyed
                server.close()
            net.next_tick(later)
        socket.on('end', common.mustCall(on_end))

        def on_finish():
            assert not socket.destroyed
        socket.on('finish', common.mustCall(on_finish))
        socket.on('close', common.mustCall())

    server.listen(0, common.mustCall(on_listening))
    common.run()


def test_end_before_peer_fin(common):
    accepted = []  # for the clean-up after an xfail only

    def on_connection(socket):
        accepted.append(socket)
        socket.end(bytes(1024))
    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        socket = net.connect(server.address()['port'])
        assert socket.allowHalfOpen is False
        socket.resume()

        def on_end():
            assert not socket.destroyed
        socket.on('end', common.mustCall(on_end))
        socket.end('asd')

        def on_finish():
            assert not socket.destroyed
        socket.on('finish', common.mustCall(on_finish))
        socket.on('close', common.mustCall(lambda had_error=False: server.close()))

    server.listen(0, common.mustCall(on_listening))
    try:
        common.run()
    finally:  # an xfail must not leave a socket that keeps the next tests' loops alive
        for socket in accepted:
            socket.destroy()
