# end(data) right after connect(): 'connect' first, the data and the end follow.
import gnet as net
from _trace import log


def on_connection(conn):
    got = []
    conn.on('data', got.append)

    def on_end():
        log('server got', b''.join(got).decode())
        conn.end()
    conn.on('end', on_end)


server = net.createServer(on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1')
    client.end('early bye')
    log('client ended', client.writableEnded, client.connecting)
    client.on('connect', lambda: log('client connect'))
    client.on('finish', lambda: log('client finish'))

    def on_close(had_error):
        log('client close')
        server.close()
    client.on('close', on_close)
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
