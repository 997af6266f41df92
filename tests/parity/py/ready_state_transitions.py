# readyState: opening -> open -> readOnly (we ended) -> closed.
import gnet as net
from _trace import log


def on_connection(conn):
    conn.resume()
    conn.on('end', lambda: net.setTimeout(lambda: conn.end(), 20))


server = net.createServer({'allowHalfOpen': True}, on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1')
    log('client', client.readyState)

    def on_connect():
        log('client', client.readyState)
        client.end()
        log('client after-end', client.readyState)
    client.on('connect', on_connect)
    client.on('finish', lambda: log('client finish', client.readyState))
    client.on('end', lambda: log('client end', client.readyState))

    def on_close(had_error):
        log('client close', client.readyState)
        server.close()
    client.on('close', on_close)
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
