# listen() on a listening server throws synchronously.
import gnet as net
from _trace import log

server = net.createServer()


def on_listening():
    try:
        server.listen(0, '127.0.0.1')
        log('no throw?!')
    except net.errors.NodeError as err:
        log('throw', err.code, err.name)
    server.close(lambda err=None: log('closed'))


server.listen(0, '127.0.0.1', on_listening)
net.run()
