# An unref'd listening server does not keep the process alive ('listening' still fires).
# net.run() returning is the process exiting (Node's 'exit' event).
import gnet as net
from _trace import log

server = net.createServer()
server.listen(0, '127.0.0.1', lambda: log('server listening'))
log('unref returns server', server.unref() is server)
net.run()
log('exit', server.listening)
