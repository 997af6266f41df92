# parity: group
# Unref'd server and sockets: the process exits with the connection still open.
# net.run() returning is the process exiting (Node's 'exit' event).
import gnet as net
from _trace import log


def on_connection(conn):
    conn.unref()
    log('server connection')


server = net.createServer(on_connection)


def on_listening():
    server.unref()

    def on_connect():
        log('client connect')
        log('client unref-returns-socket', client.unref() is client)
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)


server.listen(0, '127.0.0.1', on_listening)
net.run()
log('exit')
