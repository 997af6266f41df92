# parity: group
# Node 20's default high-water mark is 16 KiB, for sockets as for every stream; a server's
# highWaterMark reaches its accepted sockets (both sides), its readableHighWaterMark does not.
import gnet as net
from _trace import log


def show(s):
    return '%s %s' % (s.readableHighWaterMark, s.writableHighWaterMark)


def made(options=None):
    sock = net.Socket(options)
    sock.destroy()
    return sock


log('module new-socket', show(made()))
log('module socket-hwm', show(made({'highWaterMark': 1000})))
log('module socket-split', show(made({'readableHighWaterMark': 1000, 'writableHighWaterMark': 2000})))
log('module streams', net.Readable().readableHighWaterMark, net.Writable().writableHighWaterMark)

cases = [('default', {}), ('hwm', {'highWaterMark': 1000}), ('readable', {'readableHighWaterMark': 3000})]


def next_case(err=None):
    if not cases:
        return
    label, options = cases.pop(0)

    def on_connection(conn):
        log('server', label, show(conn))
        conn.end()
    server = net.createServer(options, on_connection)

    def on_listening():
        client = net.connect({'port': server.address()['port'], 'host': '127.0.0.1', 'highWaterMark': 500},
                             lambda: log('client', label, show(client)))
        client.resume()
        client.on('close', lambda had_error: server.close(next_case))
    server.listen(0, '127.0.0.1', on_listening)


next_case()
net.run()
