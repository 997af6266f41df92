# destroy() is idempotent: one 'close'.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.resume())


def on_listening():
    def on_connect():
        client.destroy()
        client.destroy()
        client.destroy(Exception('ignored'))
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('error', lambda err: log('client error?!', str(err)))

    def on_close(had_error):
        log('client close', had_error)
        net.setTimeout(lambda: server.close(lambda err=None: log('server closed')), 20)
    client.on('close', on_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
