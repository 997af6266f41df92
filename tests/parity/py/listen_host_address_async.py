# listen(0, host) looks the host up first: address() is null until 'listening'.
import gnet as net
from _trace import log

server = net.createServer()
server.listen(0, '127.0.0.1')
log('server address-now', server.address())
log('server listening-flag', server.listening)


def on_listening():
    a = server.address()
    log('server listening', a['address'], a['family'], a['port'] > 0, server.listening)
    server.close()


server.on('listening', on_listening)
server.on('close', lambda: log('server close', server.address()))
net.run()
