"""test-net-write-slow.js: a server queues 2 MB and ends while the client
pauses 20 ms after every 'data': every write callback runs, the server's idle
timeout never fires, and the client receives every byte."""

import gnet as net

SIZE = int(2E5)
N = 10


def test_net_write_slow(common):
    state = {'flushed': 0, 'received': 0}
    buf = b'a' * SIZE

    def on_connection(socket):
        socket.setNoDelay()
        socket.setTimeout(9999)

        def on_timeout():
            raise AssertionError('flushed: %d, received: %d/%d'
                                 % (state['flushed'], state['received'], SIZE * N))
        socket.on('timeout', on_timeout)

        def on_written(err):
            state['flushed'] += 1
            if state['flushed'] == N:
                socket.setTimeout(0)
        for i in range(N):
            socket.write(buf, on_written)
        socket.end()

    def on_listening():
        conn = net.connect(server.address()['port'])

        def on_data(buf):
            state['received'] += len(buf)
            conn.pause()
            net.setTimeout(lambda: conn.resume(), 20)
        conn.on('data', on_data)

        def on_end():
            server.close()
            assert state['received'] == SIZE * N
        conn.on('end', common.mustCall(on_end))

    server = net.createServer(on_connection).listen(0, common.mustCall(on_listening))
    common.run()
