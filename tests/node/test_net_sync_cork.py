"""test-net-sync-cork.js: 100 rounds of cork(), two small writes, uncork() on
a connected socket never make write() return false."""

import gnet as net

N = 100


def test_net_sync_cork(common):
    buf = b'aa'

    def handle(socket):
        socket.resume()
        socket.on('error', common.mustNotCall()) \
              .on('close', common.mustCall(lambda *args: server.close()))

    server = net.createServer(handle)

    def on_listening():
        conn = net.connect(server.address()['port'])

        def on_connect():
            res = True
            i = 0
            while i < N and res:
                conn.cork()
                conn.write(buf)
                res = conn.write(buf)
                conn.uncork()
                i += 1
            assert i == N
            conn.end()
        conn.on('connect', on_connect)

    server.listen(0, on_listening)
    common.run()
