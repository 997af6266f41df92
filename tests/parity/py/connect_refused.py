# Connecting to a closed port: one 'error' (ECONNREFUSED), then 'close' with hadError.
import gnet as net
from _trace import log

probe = net.createServer()


def on_probe_listening():
    port = probe.address()['port']

    def on_probe_closed(err=None):
        client = net.connect(port, '127.0.0.1')
        client.on('connect', lambda: log('client connect?!'))

        def on_error(err):
            log('client error', err.code, err.syscall, err.address, err.port == port)
            log('client message', str(err).replace(str(port), 'PORT'))
        client.on('error', on_error)
        client.on('close', lambda had_error: log('client close', had_error, client.destroyed))
    probe.close(on_probe_closed)


probe.listen(0, '127.0.0.1', on_probe_listening)
net.run()
