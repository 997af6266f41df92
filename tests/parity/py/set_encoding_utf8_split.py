# setEncoding('utf8'): a character split across two reads arrives whole.
import json

import gnet as net
from _trace import log

euro = '\u20ac'.encode('utf8')


def on_connection(conn):
    conn.setEncoding('utf8')
    conn.on('data', lambda d: log('server data', 'string' if isinstance(d, str) else 'buffer',
                                  len(d), json.dumps(d, ensure_ascii=False)))

    def on_end():
        log('server end')
        conn.end()
    conn.on('end', on_end)


server = net.createServer(on_connection)


def on_listening():
    def on_connect():
        client.setNoDelay(True)
        client.write(euro[:1])
        net.setTimeout(lambda: client.end(euro[1:] + b'ok'), 50)
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('close', lambda had_error: server.close())
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
