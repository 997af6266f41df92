# bytesWritten counts what write() was handed: while connecting, while corked,
# and 10 MB still in the writable buffer right after end().
import gnet as net
from _trace import log


def on_connection(conn):
    conn.resume()
    conn.on('error', lambda err: None)
    conn.on('close', lambda had_error: server.close())


server = net.createServer(on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1')
    client.write('abc')
    client.write(bytes(7))
    log('connecting', client.connecting, client.bytesWritten)

    def on_connect():
        client.cork()
        client.write('0123456789')
        log('corked', client.bytesWritten)
        client.uncork()
        client.end(bytes(10 * 1000 * 1000))
        log('after end', client.bytesWritten)
        client.destroy()
        log('after destroy', client.bytesWritten)
    client.on('connect', on_connect)


server.listen(0, '127.0.0.1', on_listening)
net.run()
