"""test-net-large-string.js: a 40 Ki-character string of a 3-byte UTF-8
character written in one write arrives whole at a server that decodes UTF-8
(character count checked at 'end')."""

import gnet as net

kPoolSize = 40 * 1024
data = '\u3042' * kPoolSize
encoding = 'UTF-8'


def test_net_large_string(common):
    def on_connection(socket):
        state = {'receivedSize': 0}

        socket.setEncoding(encoding)

        def on_data(chunk):
            state['receivedSize'] += len(chunk)
        socket.on('data', on_data)

        def on_end():
            assert state['receivedSize'] == kPoolSize
            socket.end()
        socket.on('end', common.mustCall(on_end))

    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        client = net.createConnection(server.address()['port'])
        client.on('end', lambda: server.close())
        client.write(data, encoding)
        client.end()

    server.listen(0, on_listening)
    common.run()
