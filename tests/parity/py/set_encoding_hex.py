# setEncoding('hex') and ('base64') on two connections; writes with string encodings.
import gnet as net
from _trace import log

seen = [0]


def on_connection(conn):
    enc = 'hex' if seen[0] == 0 else 'base64'
    seen[0] += 1
    conn.setEncoding(enc)
    got = []
    conn.on('data', got.append)

    def on_end():
        log('server', enc, ''.join(got))
        conn.end()
    conn.on('end', on_end)


server = net.createServer(on_connection)


def on_listening():
    def on_a_connect():
        a.write('aGk=', 'base64')
        a.write('ff00', 'hex')
        a.end('\u00e9', 'latin1')
    a = net.connect(server.address()['port'], '127.0.0.1', on_a_connect)
    a.resume()

    def on_a_close(had_error):
        b = net.connect(server.address()['port'], '127.0.0.1', lambda: b.end('hello'))
        b.resume()
        b.on('close', lambda had_error: server.close())
    a.on('close', on_a_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
