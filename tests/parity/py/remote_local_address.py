# parity: group
# remote/local address properties on both ends.
import gnet as net
from _trace import log


def on_connection(conn):
    log('server remote', conn.remoteAddress, conn.remoteFamily, isinstance(conn.remotePort, int))
    log('server local', conn.localAddress, conn.localPort == server.address()['port'],
        conn.localFamily)
    conn.on('close', lambda had_error: server.close())
    conn.resume()


server = net.createServer(on_connection)


def on_listening():
    def on_connect():
        log('client remote', client.remoteAddress, client.remoteFamily,
            client.remotePort == server.address()['port'])
        log('client local', client.localAddress, isinstance(client.localPort, int),
            client.localFamily)
        a = client.address()
        log('client address', a['address'], a['family'], a['port'] == client.localPort)
        client.destroy()
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)


server.listen(0, '127.0.0.1', on_listening)
net.run()
