# server.close() stops accepting at once; 'close' waits for the open connection.
import gnet as net
from _trace import log


def on_connection(conn):
    log('server connection')
    server.close(lambda err=None: log('server close callback'))
    log('server listening-after-close', server.listening)

    def on_count(err, n):
        log('server connections', n)
        conn.end('bye')
    server.getConnections(on_count)
    conn.on('close', lambda had_error: log('server conn close'))


server = net.createServer(on_connection)
server.on('close', lambda: log('server close event'))


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1')
    client.resume()
    client.on('end', lambda: client.end())


server.listen(0, '127.0.0.1', on_listening)
net.run()
