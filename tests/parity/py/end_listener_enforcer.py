# parity: group
# Every net.Socket has one 'end' listener of its own (Node's onReadableStreamEnd),
# whatever allowHalfOpen says; with allowHalfOpen false it turns a later write
# into EPIPE.  Removed, a write after the peer's FIN is ERR_STREAM_WRITE_AFTER_END.
import gnet as net
from _trace import log

for allow_half_open in (False, True, None):
    log('new', allow_half_open, net.Socket({'allowHalfOpen': allow_half_open}).listenerCount('end'))
log('duplex', net.Duplex({'allowHalfOpen': False}).listenerCount('end'))


def on_connection(conn):
    log('server listeners', conn.listenerCount('end'))
    conn.end()


server = net.createServer(on_connection)
closed = []


def start(name):
    client = net.connect(server.address()['port'], '127.0.0.1')
    if name == 'removed':
        client.removeAllListeners('end')
    log(name, 'listeners', client.listenerCount('end'))
    client.resume()
    client.on('end', lambda: net.setImmediate(
        lambda: client.write('late', lambda err=None: log(name, 'write cb', err.code))))
    client.on('error', lambda err: log(name, 'error', err.code))

    def on_close(had_error):
        log(name, 'close')
        closed.append(name)
        if len(closed) == 2:
            server.close()
    client.on('close', on_close)


server.listen(0, '127.0.0.1', lambda: [start(name) for name in ('kept', 'removed')])
net.run()
