# destroy() right after connect(): no 'connect', no 'error', one 'close' (false).
import gnet as net
from _trace import log

server = net.createServer()


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1')
    client.on('connect', lambda: log('client connect?!'))
    client.on('error', lambda err: log('client error?!', err.code))

    def on_close(had_error):
        log('client close', had_error, client.destroyed, client.connecting)
        server.close(lambda err=None: log('server closed'))
    client.on('close', on_close)
    client.destroy()
    log('client destroyed', client.destroyed, client.connecting)


server.listen(0, '127.0.0.1', on_listening)
net.run()
