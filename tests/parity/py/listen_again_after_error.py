# After a listen error, listen() may be called again on the same server.
import gnet as net
from _trace import log

first = net.createServer()


def on_first_listening():
    server = net.createServer()

    def on_error(err):
        log('server error', err.code)

        def on_listening():
            log('server listening', server.address()['port'] != first.address()['port'])
            server.close(lambda err=None: first.close(lambda err=None: log('all closed')))
        server.listen(0, '127.0.0.1', on_listening)
    server.once('error', on_error)
    server.listen(first.address()['port'], '127.0.0.1')


first.listen(0, '127.0.0.1', on_first_listening)
net.run()
