"""test-socket-writes-before-passed-to-tls-socket.js: two writes queued on a
connecting net.Socket before tls.connect({socket}) takes it over are both
flushed (each callback succeeds), and the TLS ClientHello follows them on the
wire.

Node ends the test with process.exit(0) once the server has seen the first
byte after the 1 MB head; here everything is destroyed at that point instead,
so that the loop drains and the call counts are checked as at Node's exit."""


import gnet as net



HEAD = bytes(1024 * 1024)


def test_socket_writes_before_passed_to_tls_socket(common):
    import gnet.tls as tls

    left = []

    def on_connection(serverSock):
        left.append(serverSock)
        state = {'recvLen': 0}
        recv = []

        def on_data(chunk):
            recv.append(chunk)
            state['recvLen'] += len(chunk)

            if state['recvLen'] > len(HEAD):
                clientHelloFstByte = b''.join(recv)[len(HEAD):len(HEAD) + 1]
                assert clientHelloFstByte.hex() == '16'
                # process.exit(0)
                server.close()
                for sock in left:
                    sock.destroy()
        serverSock.on('data', common.mustCallAtLeast(on_data, 1))

    def client():
        socket = net.createConnection({
            'host': '127.0.0.1',
            'port': server.address()['port'],
        })
        left.append(socket)
        socket.write(HEAD[:len(HEAD) // 2], common.mustSucceed())

        socket.write(HEAD[len(HEAD) // 2:], common.mustSucceed())

        left.append(tls.connect({
            'socket': socket,
        }))

    server = net.createServer(on_connection).listen(client)
    common.run()
