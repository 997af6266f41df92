# parity: group
# bytesRead / bytesWritten on both ends after an exchange.
import gnet as net
from _trace import log


def on_connection(conn):
    conn.on('data', lambda d: conn.end('world!'))

    def on_close(had_error):
        log('server bytes', conn.bytesRead, conn.bytesWritten)
        server.close()
    conn.on('close', on_close)


server = net.createServer(on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1', lambda: client.write('hello'))
    log('client bytes-before', client.bytesRead, client.bytesWritten)
    client.on('data', lambda d: log('client data', len(d)))
    client.on('end', lambda: client.end())
    client.on('close', lambda had_error: log('client bytes', client.bytesRead, client.bytesWritten))


server.listen(0, '127.0.0.1', on_listening)
net.run()
