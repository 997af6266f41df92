"""test-socket-write-after-fin.js: with allowHalfOpen on the server, the
client's writes and end('bye') all arrive, and the server's reply written
after the client's FIN reaches the client; end() returns the socket."""

import gnet as net

expected = 'hello1hello2hello3\nbye'


def test_socket_write_after_fin(common):
    def on_connection(sock):
        serverData = {'text': ''}

        sock.setEncoding('utf8')

        def on_data(c):
            serverData['text'] += c
        sock.on('data', on_data)

        def on_end():
            assert serverData['text'] == expected
            sock.end(serverData['text'])
            server.close()
        sock.on('end', common.mustCall(on_end))

    server = net.createServer({
        'allowHalfOpen': True,
    }, common.mustCall(on_connection))

    def on_listening():
        sock = net.connect(server.address()['port'])
        clientData = {'text': ''}

        sock.setEncoding('utf8')

        def on_data(c):
            clientData['text'] += c
        sock.on('data', on_data)

        def on_end():
            assert clientData['text'] == expected
        sock.on('end', common.mustCall(on_end))

        sock.write('hello1')
        sock.write('hello2')
        sock.write('hello3\n')
        assert sock.end('bye') is sock

    server.listen(0, common.mustCall(on_listening))
    common.run()
