"""test-net-onread-static-buffer.js: a client with `onread` receives the data in
the buffer it supplied (a fixed one, or one from a pool function, called once
per read: 7 times for 11 bytes in 2-byte buffers plus the end), gets no 'data'
events, still gets 'end', and can pause reading from the callback either with
pause() or by returning false, resuming 100 ms later.

Node's Buffer is a bytearray here and its Uint8Array a writable memoryview
(both are buffers that gnet fills in place)."""

import gnet as net

message = b'hello world'


def serve(common, on_listening):
    def on_connection(socket):
        server.close()
        socket.end(message)
    server = net.createServer(common.mustCall(on_connection))
    server.listen(0, lambda: on_listening(server))


# A fixed Buffer
def client1(common, server):
    state = {'received': 0}
    buffers = []
    sockBuf = bytearray(8)

    def callback(nread, buf):
        assert buf is sockBuf
        state['received'] += nread
        buffers.append(bytes(buf[0:nread]))

    def on_end():
        assert state['received'] == len(message)
        assert b''.join(buffers) == message

    net.connect({
        'port': server.address()['port'],
        'onread': {'buffer': sockBuf, 'callback': callback},
    }).on('data', common.mustNotCall()).on('end', common.mustCall(on_end))


def test_fixed_buffer(common):
    serve(common, lambda server: client1(common, server))
    common.run()


# A fixed Uint8Array
def client2(common, server):
    state = {'received': 0, 'incoming': bytearray(0)}
    sockBuf = memoryview(bytearray(8))

    def callback(nread, buf):
        assert buf is sockBuf
        state['received'] += nread
        newIncoming = bytearray(len(state['incoming']) + nread)
        newIncoming[0:len(state['incoming'])] = state['incoming']
        newIncoming[len(state['incoming']):] = buf[0:nread]
        state['incoming'] = newIncoming

    def on_end():
        assert state['received'] == len(message)
        assert state['incoming'] == bytearray(message)

    net.connect({
        'port': server.address()['port'],
        'onread': {'buffer': sockBuf, 'callback': callback},
    }).on('data', common.mustNotCall()).on('end', common.mustCall(on_end))


def test_fixed_uint8array(common):
    serve(common, lambda server: client2(common, server))
    common.run()


# A pool of Buffers handed out by a function
def client3(common, server):
    state = {'received': 0, 'bufPoolIdx': -1, 'bufPoolUsage': 0}
    incoming = []
    bufPool = [bytearray(2), bytearray(2), bytearray(2)]

    def buffer():
        state['bufPoolUsage'] += 1
        state['bufPoolIdx'] = (state['bufPoolIdx'] + 1) % len(bufPool)
        return bufPool[state['bufPoolIdx']]

    def callback(nread, buf):
        assert buf is bufPool[state['bufPoolIdx']]
        state['received'] += nread
        incoming.append(bytes(buf[0:nread]))

    def on_end():
        assert state['received'] == len(message)
        assert b''.join(incoming) == message
        assert state['bufPoolUsage'] == 7

    net.connect({
        'port': server.address()['port'],
        'onread': {'buffer': buffer, 'callback': callback},
    }).on('data', common.mustNotCall()).on('end', common.mustCall(on_end))


def test_buffer_pool(common):
    serve(common, lambda server: client3(common, server))
    common.run()


# A pool of Uint8Arrays handed out by a function
def client4(common, server):
    state = {'received': 0, 'incoming': bytearray(0), 'bufPoolIdx': -1, 'bufPoolUsage': 0}
    bufPool = [memoryview(bytearray(2)), memoryview(bytearray(2)), memoryview(bytearray(2))]

    def buffer():
        state['bufPoolUsage'] += 1
        state['bufPoolIdx'] = (state['bufPoolIdx'] + 1) % len(bufPool)
        return bufPool[state['bufPoolIdx']]

    def callback(nread, buf):
        assert buf is bufPool[state['bufPoolIdx']]
        state['received'] += nread
        newIncoming = bytearray(len(state['incoming']) + nread)
        newIncoming[0:len(state['incoming'])] = state['incoming']
        newIncoming[len(state['incoming']):] = buf[0:nread]
        state['incoming'] = newIncoming

    def on_end():
        assert state['received'] == len(message)
        assert state['incoming'] == bytearray(message)
        assert state['bufPoolUsage'] == 7

    net.connect({
        'port': server.address()['port'],
        'onread': {'buffer': buffer, 'callback': callback},
    }).on('data', common.mustNotCall()).on('end', common.mustCall(on_end))


def test_uint8array_pool(common):
    serve(common, lambda server: client4(common, server))
    common.run()


# pause() inside the callback, resume() 100 ms later
def client5(common, server):
    state = {'received': 0, 'paused': False}
    buffers = []
    sockBuf = bytearray(8)

    def callback(nread, buf):
        assert state['paused'] is False
        assert buf is sockBuf
        state['received'] += nread
        buffers.append(bytes(buf[0:nread]))
        state['paused'] = True
        this.pause()

        def later():
            state['paused'] = False
            this.resume()
        net.setTimeout(later, 100)

    def on_end():
        assert state['received'] == len(message)
        assert b''.join(buffers) == message

    this = net.connect({
        'port': server.address()['port'],
        'onread': {'buffer': sockBuf, 'callback': callback},
    })
    this.on('data', common.mustNotCall()).on('end', common.mustCall(on_end))


def test_pause_in_callback(common):
    serve(common, lambda server: client5(common, server))
    common.run()


# the callback returns false, resume() 100 ms later
def client6(common, server):
    state = {'received': 0, 'paused': False}
    buffers = []
    sockBuf = bytearray(8)

    def callback(nread, buf):
        assert state['paused'] is False
        assert buf is sockBuf
        state['received'] += nread
        buffers.append(bytes(buf[0:nread]))
        state['paused'] = True

        def later():
            state['paused'] = False
            this.resume()
        net.setTimeout(later, 100)
        return False

    def on_end():
        assert state['received'] == len(message)
        assert b''.join(buffers) == message

    this = net.connect({
        'port': server.address()['port'],
        'onread': {'buffer': sockBuf, 'callback': callback},
    })
    this.on('data', common.mustNotCall()).on('end', common.mustCall(on_end))


def test_callback_returns_false(common):
    serve(common, lambda server: client6(common, server))
    common.run()
