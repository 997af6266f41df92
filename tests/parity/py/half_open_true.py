# parity: group
# allowHalfOpen true: after the peer's end we stay writable and answer.
import gnet as net
from _trace import log


def on_connection(conn):
    def on_end():
        log('server end', conn.writable, conn.readyState)
        conn.end('late reply')
    conn.on('end', on_end)
    conn.on('finish', lambda: log('server finish'))
    conn.on('close', lambda had_error: log('server close', had_error))
    conn.resume()


server = net.createServer({'allowHalfOpen': True}, on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1', lambda: client.end())
    client.on('data', lambda d: log('client data', d.decode()))
    client.on('end', lambda: log('client end'))

    def on_close(had_error):
        log('client close', had_error)
        server.close()
    client.on('close', on_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
