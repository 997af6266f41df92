"""test-net-bytes-read.js: a client's bytesRead grows with every 'data' and
equals the size of what the server sent (1 MiB) at 'end' and at 'close'.

Left out: Node's ``assert(!socket._handle)`` at 'close' (Node's internal
handle slot).
"""

import gnet as net


def test_net_bytes_read(common):
    big = bytes(1024 * 1024)
    state = {'prev': 0}

    def handler(socket):
        socket.end(big)
        server.close()
    handler = common.mustCall(handler)

    def onListen():
        def checkRaise(value):
            assert value > state['prev']
            state['prev'] = value

        def onData(chunk):
            checkRaise(socket.bytesRead)
        onData = common.mustCallAtLeast(onData)

        def onEnd():
            assert socket.bytesRead == state['prev']
            assert len(big) == state['prev']
        onEnd = common.mustCall(onEnd)

        def onClose(had_error=False):
            assert socket.bytesRead == state['prev']
            assert len(big) == state['prev']
        onClose = common.mustCall(onClose)

        def onConnect():
            socket.on('data', onData)
            socket.on('end', onEnd)
            socket.on('close', onClose)
            socket.end()
        onConnect = common.mustCall(onConnect)

        socket = net.connect(server.address()['port'], onConnect)
    onListen = common.mustCall(onListen)

    server = net.createServer(handler).listen(0, onListen)
    common.run()
