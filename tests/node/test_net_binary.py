"""test-net-binary.js: all 256 latin1 characters survive an echo round trip
with 'latin1'/'binary' encodings on both sides, first as one string in
reverse order, then one character per write."""

import gnet as net


def test_net_binary(common):
    binaryString = ''
    for i in range(255, -1, -1):
        S = chr(i)  # Node builds it by evaluating the octal escape '\<i>'
        assert ord(S[0]) == i
        assert S == chr(i)
        binaryString += S

    def on_connection(connection):
        connection.setEncoding('latin1')
        connection.on('data', lambda chunk: connection.write(chunk, 'latin1'))
        connection.on('end', lambda: connection.end())
    echoServer = net.Server(on_connection)
    echoServer.listen(0)

    recv = []

    def on_listening():
        state = {'j': 0}
        c = net.createConnection({'port': echoServer.address()['port']})

        c.setEncoding('latin1')

        def on_data(chunk):
            n = state['j'] + len(chunk)
            while state['j'] < n and state['j'] < 256:
                c.write(chr(state['j']), 'latin1')
                state['j'] += 1
            if state['j'] == 256:
                c.end()
            recv.append(chunk)
        c.on('data', on_data)

        c.on('connect', lambda: c.write(binaryString, 'binary'))

        c.on('close', lambda had_error=False: echoServer.close())

    echoServer.on('listening', on_listening)

    def on_exit():
        received = ''.join(recv)
        assert len(received) == 2 * 256

        a = list(received)
        first = ''.join(reversed(a[0:256]))
        second = ''.join(a[256:2 * 256])
        assert first == second
    common.on_exit(on_exit)
    common.run()
