# An 'error' nobody listens to is an uncaught exception: net.run() raises it, and the
# process dies (exit code 1) as Node's does.
import gnet as net
from _trace import log

probe = net.createServer()


def on_listening():
    port = probe.address()['port']

    def on_closed(err=None):
        client = net.connect(port, '127.0.0.1')
        client.on('close', lambda had_error: log('client close?!'))
        log('connecting without an error listener')
    probe.close(on_closed)


probe.listen(0, '127.0.0.1', on_listening)
net.run()
