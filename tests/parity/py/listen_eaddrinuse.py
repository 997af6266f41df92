# A second server on a busy port gets an asynchronous EADDRINUSE 'error'.
import gnet as net
from _trace import log

first = net.createServer()


def on_first_listening():
    port = first.address()['port']
    second = net.createServer()

    def on_error(err):
        log('second error', err.code, err.syscall, err.address, err.port == port)
        log('second message', str(err).replace(str(port), 'PORT'))
        log('second listening', second.listening)
        first.close(lambda err=None: log('first closed'))
    second.on('error', on_error)
    second.on('listening', lambda: log('second listening?!'))
    second.listen(port, '127.0.0.1')
    log('second listen returned')


first.listen(0, '127.0.0.1', on_first_listening)
net.run()
