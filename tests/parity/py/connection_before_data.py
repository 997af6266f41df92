# 'connection' comes before the first 'data' of that socket, even if the client writes at once.
import gnet as net
from _trace import log

server = net.createServer()


def on_connection(conn):
    log('server connection')

    def on_data(d):
        log('server data', d.decode())
        conn.end()
    conn.on('data', on_data)


server.on('connection', on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1')
    client.write('first')
    client.on('close', lambda had_error: server.close())
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
