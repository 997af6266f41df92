# A closed server can listen again; each listen() emits 'listening' once.
import gnet as net
from _trace import log

server = net.createServer()
state = {'round': 0}


def on_listening():
    state['round'] += 1
    log('listening', state['round'])


server.on('listening', on_listening)
server.on('close', lambda: log('close', state['round']))


def first_listening():
    server.close(lambda err=None: server.listen(0, '127.0.0.1', lambda: server.close()))


server.listen(0, '127.0.0.1', first_listening)
net.run()
