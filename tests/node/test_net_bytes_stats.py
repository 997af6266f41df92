"""test-net-bytes-stats.js: bytesRead (server side, summed at each 'end') and
bytesWritten (client side, summed at each 'finish') count the bytes of each
connection, over a client that reconnects once from its own 'close'
(so each counter starts again from zero)."""

import gnet as net


def test_net_bytes_stats(common):
    totals = {'bytesRead': 0, 'bytesWritten': 0, 'count': 0}

    def on_connection(s):
        s.resume()  # the old mode of the original

        def on_end():
            totals['bytesRead'] += s.bytesRead
        s.on('end', on_end)
    tcp = net.Server(on_connection)

    def doTest():
        socket = net.createConnection(tcp.address()['port'])

        def on_connect():
            totals['count'] += 1
            socket.write('foo', lambda err=None: socket.end('bar'))
        socket.on('connect', on_connect)

        def on_finish():
            totals['bytesWritten'] += socket.bytesWritten
        socket.on('finish', on_finish)

        def on_close(had_error=False):
            if totals['count'] < 2:
                socket.connect(tcp.address()['port'])
            else:
                tcp.close()
        socket.on('close', on_close)

    tcp.listen(0, doTest)

    def on_exit():
        assert totals['bytesRead'] == 12
        assert totals['bytesWritten'] == 12
    common.on_exit(on_exit)
    common.run()
