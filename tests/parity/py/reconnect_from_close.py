# A socket connects again from its own 'close': the same 'data' listener and
# encoding serve each connection; bytesRead/bytesWritten start again.
import gnet as net
from _trace import log

state = {'round': 0}


def on_connection(conn):
    conn.end('round %d' % state['round'])
    conn.resume()


server = net.createServer(on_connection)


def on_listening():
    client = net.Socket()
    client.setEncoding('utf8')
    client.on('data', lambda text: log('client data', 'string' if isinstance(text, str) else
                                       type(text).__name__, text))

    def on_connect():
        log('client connect', client.bytesRead, client.bytesWritten)
        client.end('hi')
    client.on('connect', on_connect)

    def on_close(had_error):
        log('client close', had_error, client.bytesRead, client.bytesWritten)
        state['round'] += 1
        if state['round'] < 3:
            client.connect(server.address()['port'], '127.0.0.1')
        else:
            server.close()
    client.on('close', on_close)
    client.connect(server.address()['port'], '127.0.0.1')


server.listen(0, '127.0.0.1', on_listening)
net.run()
