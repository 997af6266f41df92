"""test-net-write-connect-write.js: a write made while connecting and one made
in 'connect' reach an echo server in order ('before after')."""

import gnet as net


def test_net_write_connect_write(common):
    def on_listening():
        conn = net.connect(server.address()['port'])
        received = {'text': ''}

        conn.setEncoding('utf8')
        conn.write('before')
        conn.on('connect', lambda: conn.write(' after'))

        def on_data(buf):
            received['text'] += buf
            conn.end()
        conn.on('data', on_data)

        def on_end():
            server.close()
            assert received['text'] == 'before after'
        conn.on('end', common.mustCall(on_end))

    server = net.createServer(lambda socket: socket.pipe(socket)).listen(0, common.mustCall(on_listening))
    common.run()
