"""test-net-throttle.js: a server writes until write() returns false, twice
more, and ends; the client pauses for 100 ms on each 'data' and gets no data
while paused, pauses more than once, and receives every character."""

import gnet as net


def test_net_throttle(common):
    state = {'chars_recved': 0, 'npauses': 0, 'totalLength': 0}

    def on_connection(connection):
        body = 'C' * 1024
        n = 1
        while connection.write(body):
            n += 1
        connection.write(body)
        connection.write(body)
        n += 2
        state['totalLength'] = n * len(body)
        assert connection.bufferSize >= 0, 'bufferSize: %s' % connection.bufferSize
        assert connection.writableLength <= state['totalLength'], \
            'writableLength: %s, totalLength: %s' % (connection.writableLength, state['totalLength'])
        connection.end()

    server = net.createServer(on_connection)

    def on_listening():
        port = server.address()['port']
        paused = {'value': False}
        client = net.createConnection(port)
        client.setEncoding('ascii')

        def on_data(d):
            state['chars_recved'] += len(d)
            if not paused['value']:
                client.pause()
                state['npauses'] += 1
                paused['value'] = True
                x = state['chars_recved']

                def later():
                    assert state['chars_recved'] == x
                    client.resume()
                    paused['value'] = False
                net.setTimeout(later, 100)
        client.on('data', on_data)

        def on_end():
            server.close()
            client.end()
        client.on('end', on_end)

    server.listen(0, on_listening)

    def at_exit():
        assert state['chars_recved'] == state['totalLength']
        assert state['npauses'] > 1, '%s > 1' % state['npauses']
    common.on_exit(at_exit)
    common.run()
