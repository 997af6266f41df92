"""test-net-write-fully-async-buffer.js: 200 rounds of writing fresh 1 MB
buffers until write() returns false, resumed on 'drain', with a garbage
collection after each round: the queued buffers stay valid.

``global.gc({type: 'minor'})`` (Node's --expose-gc) is gc.collect()."""

import gc

import gnet as net


def test_net_write_fully_async_buffer(common):
    data = bytes(1000000)

    def on_listening():
        def on_connect():
            state = {'count': 0}

            def writeLoop():
                count = state['count']
                state['count'] += 1
                if count == 200:
                    conn.destroy()
                    server.close()
                    return

                while conn.write(bytes(bytearray(data))):
                    pass
                gc.collect(0)

            conn.on('drain', writeLoop)

            writeLoop()
        conn = net.createConnection(server.address()['port'], common.mustCall(on_connect))

    server = net.createServer(common.mustCall(lambda conn: conn.resume())).listen(
        0, common.mustCall(on_listening))
    common.run(timeout_s=60)
