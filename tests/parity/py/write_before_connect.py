# Writes made while connecting are queued and sent after 'connect'.
import gnet as net
from _trace import log


def on_connection(conn):
    got = []
    conn.on('data', got.append)

    def on_end():
        log('server got', b''.join(got).decode())
        conn.end()
    conn.on('end', on_end)


server = net.createServer(on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1')
    log('client write', client.write('hello '), client.connecting)
    log('client write', client.write('world'), client.writableLength)
    client.end()
    client.on('connect', lambda: log('client connect'))

    def on_close(had_error):
        log('client close', client.bytesWritten)
        server.close()
    client.on('close', on_close)
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
