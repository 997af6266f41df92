# A paused socket emits no 'data' until resume(); nothing is lost.
import json

import gnet as net
from _trace import log


def on_connection(conn):
    conn.pause()
    log('server paused', conn.isPaused())
    got = []
    conn.on('data', got.append)
    conn.on('pause', lambda: log('server pause-event'))
    conn.on('resume', lambda: log('server resume-event'))

    def later():
        log('server before-resume', json.dumps(b''.join(got).decode()))
        conn.resume()
        log('server resumed', conn.isPaused())
    net.setTimeout(later, 100)

    def on_end():
        log('server end', b''.join(got).decode())
        conn.end()
    conn.on('end', on_end)


server = net.createServer(on_connection)


def on_listening():
    def on_connect():
        client.write('abc')
        client.end('def')
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('close', lambda had_error: server.close())
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
