# parity: group
# allowHalfOpen false (the default): the peer's end ends our side too.
import gnet as net
from _trace import log


def on_connection(conn):
    conn.on('end', lambda: log('server end', conn.writable))
    conn.on('finish', lambda: log('server finish'))
    conn.on('close', lambda had_error: log('server close', had_error))
    conn.resume()


server = net.createServer(on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1', lambda: client.end('x'))
    client.on('finish', lambda: log('client finish'))
    client.on('end', lambda: log('client end'))

    def on_close(had_error):
        log('client close', had_error)
        server.close()
    client.on('close', on_close)
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
