# An AbortSignal aborted while connecting destroys the socket with an AbortError.
import gnet as net
from _trace import log

server = net.createServer()


def on_listening():
    controller = net.AbortController()
    client = net.connect({'port': server.address()['port'], 'host': '127.0.0.1',
                          'signal': controller.signal})
    client.on('connect', lambda: log('client connect?!'))
    client.on('error', lambda err: log('client error', err.name, err.code))

    def on_close(had_error):
        log('client close', had_error)
        server.close(lambda err=None: log('server closed'))
    client.on('close', on_close)
    controller.abort()
    log('aborted', client.destroyed)


server.listen(0, '127.0.0.1', on_listening)
net.run()
