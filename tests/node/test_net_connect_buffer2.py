"""test-net-connect-buffer2.js: a socket with highWaterMark 0 written to and
ended while it is still connecting: pending/connecting/readyState say so,
write() returns false, bytesWritten counts the queued bytes once (in bytes,
not characters, for a multi-byte text), and the server receives it all.

Node's ``net.Stream`` (a legacy alias) is ``net.Socket`` in gnet.
"""

import gnet as net


def test_net_connect_buffer2(common):
    def on_connection(s):
        tcp.close()

        buf = []
        s.setEncoding('utf8')
        s.on('data', lambda d: buf.append(d))

        def on_end():
            assert ''.join(buf) == "L'État, c'est moi"
            s.end()
        s.on('end', common.mustCall(on_end))
    tcp = net.Server(common.mustCall(on_connection))

    def on_listening():
        socket = net.Socket({'highWaterMark': 0})
        state = {'connected': False}

        assert socket.pending is True

        def on_connect():
            state['connected'] = True
        socket.connect(tcp.address()['port'], common.mustCall(on_connect))

        assert socket.pending is True
        assert socket.connecting is True
        assert socket.readyState == 'opening'

        # a multi-byte character: bytesWritten counts bytes, not characters
        a = "L'État, c'est "
        b = 'moi'

        # still connecting: the write is queued, and must not be counted
        # again when it really goes out
        def on_write(er=None):
            assert state['connected']
            assert socket.bytesWritten == len((a + b).encode())
            assert socket.pending is False
        r = socket.write(a, common.mustCall(on_write))

        def on_close(had_error=False):
            assert socket.pending is True
        socket.on('close', common.mustCall(on_close))

        assert socket.bytesWritten == len(a.encode())
        assert r is False
        socket.end(b)

        assert socket.readyState == 'opening'

    tcp.listen(0, common.mustCall(on_listening))
    try:
        common.run()
    finally:  # an xfail must not leave a server that keeps the next tests' loops alive
        if tcp.listening:
            tcp.close()
