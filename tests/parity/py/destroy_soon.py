# parity: group
# destroySoon(): end, then destroy once the queued data is flushed ('finish' then 'close').
import gnet as net
from _trace import log


def on_connection(conn):
    got = [0]

    def on_data(d):
        got[0] += len(d)
    conn.on('data', on_data)

    def on_end():
        log('server got', got[0])
        server.close()
    conn.on('end', on_end)


server = net.createServer(on_connection)


def on_listening():
    def on_connect():
        client.write(bytes([7]) * 100000)
        client.destroySoon()
        log('client after destroySoon', client.destroyed, client.writableEnded)
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('finish', lambda: log('client finish', client.destroyed))
    client.on('close', lambda had_error: log('client close', had_error))


server.listen(0, '127.0.0.1', on_listening)
net.run()
