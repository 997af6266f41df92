# address() is null once the server closed; listening is false.
import gnet as net
from _trace import log

server = net.createServer()
log('before listen', server.address(), server.listening)


def on_listening():
    log('listening', server.address()['family'], server.listening)
    server.close()
    log('after close', server.address(), server.listening)


server.listen(0, '127.0.0.1', on_listening)
server.on('close', lambda: log('close', server.address()))
net.run()
