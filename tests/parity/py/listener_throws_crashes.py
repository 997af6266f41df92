# A listener that throws crashes the process (after what it printed): net.run() raises.
import gnet as net
from _trace import log


def on_connection(conn):
    def on_data(d):
        log('server data', d.decode())
        raise Exception('listener failed')
    conn.on('data', on_data)


server = net.createServer(on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1', lambda: client.write('boom'))
    client.on('error', lambda err: None)


server.listen(0, '127.0.0.1', on_listening)
net.run()
