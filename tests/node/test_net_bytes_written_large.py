"""test-net-bytes-written-large.js: bytesWritten counts a large write (10 MB)
as soon as it is queued, for a buffer, a string and a corked pair of writes,
and the client reads exactly that many bytes. Each block of the Node file
is one test."""

import gnet as net


N = 10000000


def test_buffer(common):
    def on_connection(socket):
        def on_end_cb(err=None):
            assert socket.bytesWritten == N
        socket.end(bytes(N), common.mustCall(on_end_cb))
        assert socket.bytesWritten == N
    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        client = net.connect(server.address()['port'])
        client.resume()

        def on_close(had_error=False):
            assert client.bytesRead == N
            server.close()
        client.on('close', common.mustCall(on_close))

    server.listen(0, common.mustCall(on_listening))
    try:
        common.run()
    finally:  # an xfail must not leave a server that keeps the next tests' loops alive
        if server.listening:
            server.close()


def test_string(common):
    def on_connection(socket):
        def on_end_cb(err=None):
            assert socket.bytesWritten == N
        socket.end('a' * N, common.mustCall(on_end_cb))
        assert socket.bytesWritten == N
    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        client = net.connect(server.address()['port'])
        client.resume()

        def on_close(had_error=False):
            assert client.bytesRead == N
            server.close()
        client.on('close', common.mustCall(on_close))

    server.listen(0, common.mustCall(on_listening))
    try:
        common.run()
    finally:  # an xfail must not leave a server that keeps the next tests' loops alive
        if server.listening:
            server.close()


def test_writev_mixed(common):
    def on_connection(socket):
        socket.cork()
        socket.write('a' * N)
        assert socket.bytesWritten == N
        socket.write(bytes(N))
        assert socket.bytesWritten == 2 * N

        def on_end_cb(err=None):
            assert socket.bytesWritten == 2 * N
        socket.end('', common.mustCall(on_end_cb))
        socket.uncork()
    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        client = net.connect(server.address()['port'])
        client.resume()

        def on_close(had_error=False):
            assert client.bytesRead == 2 * N
            server.close()
        client.on('close', common.mustCall(on_close))

    server.listen(0, common.mustCall(on_listening))
    try:
        common.run()
    finally:  # an xfail must not leave a server that keeps the next tests' loops alive
        if server.listening:
            server.close()
