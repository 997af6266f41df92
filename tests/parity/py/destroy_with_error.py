# destroy(err): 'error' with that error, then 'close' with hadError true.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.resume())


def on_listening():
    def on_connect():
        client.destroy(Exception('boom'))
        log('client destroyed', client.destroyed)
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('error', lambda err: log('client error', str(err), client.errored is err))

    def on_close(had_error):
        log('client close', had_error)
        server.close()
    client.on('close', on_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
