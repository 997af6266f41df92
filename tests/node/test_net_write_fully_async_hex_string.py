"""test-net-write-fully-async-hex-string.js: 20 rounds of writing a 2 MB hex
string (1 MB once decoded) until write() returns false, resumed on 'drain',
with a garbage collection after each round: the buffers made inside write()
stay valid.

``global.gc({type: 'minor'})`` (Node's --expose-gc) is gc.collect()."""

import gc

import gnet as net


def test_net_write_fully_async_hex_string(common):
    data = bytes(1000000).hex()

    def on_listening():
        def on_connect():
            state = {'count': 0}

            def writeLoop():
                count = state['count']
                state['count'] += 1
                if count == 20:
                    conn.destroy()
                    server.close()
                    return

                while conn.write(data, 'hex'):
                    pass
                gc.collect(0)

            conn.on('drain', writeLoop)

            writeLoop()
        conn = net.createConnection(server.address()['port'], common.mustCall(on_connect))

    server = net.createServer(common.mustCall(lambda conn: conn.resume())).listen(
        0, common.mustCall(on_listening))
    common.run()
