# close() on a server that never listened: 'close' still fires, the callback gets an error.
import gnet as net
from _trace import log

server = net.createServer()
server.on('close', lambda: log('close event'))
server.close(lambda err: log('close callback', err and err.code, err and err.name))
log('close returned')
net.run()
