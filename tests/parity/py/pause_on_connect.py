# pauseOnConnect: the accepted socket does not read until resume().
import json

import gnet as net
from _trace import log


def on_connection(conn):
    log('server connection paused', conn.isPaused())
    got = []
    conn.on('data', got.append)

    def later():
        log('server before-resume', json.dumps(b''.join(got).decode()))
        conn.resume()
    net.setTimeout(later, 100)

    def on_end():
        log('server end', b''.join(got).decode())
        conn.end()
    conn.on('end', on_end)


server = net.createServer({'pauseOnConnect': True}, on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1', lambda: client.end('payload'))
    client.on('close', lambda had_error: server.close())
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
