# parity: group
# Over maxConnections a connection is closed at once and 'drop' is emitted.
# gnet's 'drop' argument uses snake_case keys (API.md section 2): the values are the same.
import gnet as net
from _trace import log

state = {}


def on_connection(conn):
    log('server connection')
    conn.resume()
    conn.on('close', lambda had_error: server.close(lambda err=None: log('server closed')))
    second = net.connect(server.address()['port'], '127.0.0.1')
    second.on('connect', lambda: log('second connect'))
    second.on('end', lambda: log('second end'))

    def on_second_close(had_error):
        log('second close', had_error)
        state['first'].end()
    second.on('close', on_second_close)
    second.resume()


server = net.createServer(on_connection)
server.maxConnections = 1


def on_drop(data):
    log('server drop', data['local_address'], data['local_family'], data['remote_address'],
        data['remote_family'], data['local_port'] == server.address()['port'],
        isinstance(data['remote_port'], int))


server.on('drop', on_drop)


def on_listening():
    log('server max', server.maxConnections)
    first = state['first'] = net.connect(server.address()['port'], '127.0.0.1')
    first.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
