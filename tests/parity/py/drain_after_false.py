# A write beyond the high-water mark returns false; exactly one 'drain' follows.
import gnet as net
from _trace import log

size = 4 * 1024 * 1024


def on_connection(conn):
    got = [0]

    def on_data(d):
        got[0] += len(d)
    conn.on('data', on_data)

    def on_end():
        log('server got', got[0] == size)
        conn.end()
    conn.on('end', on_end)


server = net.createServer(on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1',
                         lambda: log('client write', client.write(bytes([1]) * size),
                                     client.writableNeedDrain))
    drains = [0]

    def on_drain():
        drains[0] += 1
        log('client drain', drains[0], client.writableLength, client.writableNeedDrain)
        client.end()
    client.on('drain', on_drain)

    def on_close(had_error):
        log('client close drains', drains[0])
        server.close()
    client.on('close', on_close)
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
