# parity: group
# end(data, cb): the end callback, then 'finish'; 'end' after the peer ended; 'close' last.
import gnet as net
from _trace import log


def on_connection(conn):
    conn.on('data', lambda d: log('server data', d.decode()))
    conn.on('end', lambda: log('server end'))


server = net.createServer(on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1',
                         lambda: client.end('bye', lambda err: log('client end-callback', err)))
    client.on('finish', lambda: log('client finish'))
    client.on('end', lambda: log('client end'))

    def on_close(had_error):
        log('client close', had_error)
        server.close()
    client.on('close', on_close)
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
