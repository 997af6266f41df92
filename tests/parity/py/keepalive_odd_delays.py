# parity: group (the server and client events of one connection race, as in Node)
# A keep-alive delay of 2**31 s or more, NaN or infinite is coerced (~~(ms / 1000)), never
# thrown: TCP and Unix servers with such a delay serve every connection, setKeepAlive returns
# the socket for any value; non-numbers in the options throw before anything starts.
import os

import gnet as net
from _trace import log, parity_dir

HUGE = 2 ** 31 * 1000
ODD = [HUGE, float('nan'), float('inf'), float('-inf'), 'x', None, -5000, 2 ** 53]


def try_throw(label, fn):
    try:
        fn()
        log(label, 'ok')
    except net.errors.NodeError as e:
        log(label, e.code, e.name)


try_throw('check server delay string', lambda: net.createServer({'keepAliveInitialDelay': 'x'}))
try_throw('check socket delay string', lambda: net.Socket({'keepAliveInitialDelay': 'x'}))
try_throw('check socket delay NaN', lambda: net.Socket({'keepAliveInitialDelay': float('nan')}).destroy())
try_throw('check socket hwm NaN', lambda: net.Socket({'highWaterMark': float('nan')}))
try_throw('check setTimeout NaN', lambda: net.Socket().setTimeout(float('nan')))
try_throw('check setTimeout Infinity', lambda: net.Socket().setTimeout(float('inf')))


def round_(label, listen_args, next_):
    def on_connection(conn):
        log('server', label, 'connection')
        conn.pipe(conn)
    server = net.createServer({'keepAlive': True, 'keepAliveInitialDelay': HUGE}, on_connection)

    def on_listening():
        address = server.address()
        where = {'path': address} if isinstance(address, str) else {
            'port': address['port'], 'host': '127.0.0.1'}

        def on_connect():
            log('client', label, 'connect')
            same = all(client.setKeepAlive(True, delay) is client for delay in ODD)
            log('client', label, 'setKeepAlive returns the socket', same)
            client.end('ping')
        client = net.connect(dict(where, keepAlive=True, keepAliveInitialDelay=HUGE,
                                  timeout=float('nan')), on_connect)
        client.on('data', lambda data: log('client', label, 'data', data.decode()))

        def on_close(had_error):
            log('client', label, 'close', had_error)

            def closed(err=None):
                log('server', label, 'closed')
                next_()
            server.close(closed)
        client.on('close', on_close)
    server.listen(*listen_args, on_listening)


round_('tcp', (0, '127.0.0.1'),
       lambda: round_('ipc', (os.path.join(parity_dir(), 'k.sock'),), lambda: None))
net.run()
