# listen({signal}): aborting the signal closes the server.
import gnet as net
from _trace import log

controller = net.AbortController()
server = net.createServer()
server.on('close', lambda: log('server close', server.listening))


def on_listening():
    log('server listening')
    controller.abort()
    log('aborted', server.listening)


server.listen({'port': 0, 'host': '127.0.0.1', 'signal': controller.signal}, on_listening)
net.run()
