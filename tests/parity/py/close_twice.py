# Two close() calls in a row: the second callback gets ERR_SERVER_NOT_RUNNING.
import gnet as net
from _trace import log

server = net.createServer()
server.on('close', lambda: log('close event'))


def on_listening():
    server.close(lambda err: log('first callback', err.code if err else 'ok'))
    server.close(lambda err: log('second callback', err.code if err else 'ok'))


server.listen(0, '127.0.0.1', on_listening)
net.run()
