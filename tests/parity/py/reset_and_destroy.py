# parity: group
# resetAndDestroy() sends RST: the peer gets ECONNRESET; we close without error.
import gnet as net
from _trace import log

state = {}


def on_connection(conn):
    conn.on('error', lambda err: log('server error', err.code))
    conn.on('end', lambda: log('server end?!'))

    def on_close(had_error):
        log('server close', had_error)
        server.close()
    conn.on('close', on_close)
    conn.resume()
    conn.write('hello', lambda err=None: state['client'].resetAndDestroy())


server = net.createServer(on_connection)


def on_listening():
    client = state['client'] = net.connect(server.address()['port'], '127.0.0.1')
    client.on('error', lambda err: log('client error?!', err.code))
    client.on('close', lambda had_error: log('client close', had_error, client.destroyed))


server.listen(0, '127.0.0.1', on_listening)
net.run()
