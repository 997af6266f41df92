# A 'listening' listener added before listen(cb) runs first, one added after runs last.
import gnet as net
from _trace import log

server = net.createServer()
server.on('listening', lambda: log('listener before'))
server.listen(0, '127.0.0.1', lambda: log('listen callback'))


def after():
    log('listener after')
    server.close()


server.on('listening', after)
server.on('close', lambda: log('close'))
net.run()
