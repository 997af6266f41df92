# Listening on a Unix socket path in a directory that does not exist: libuv reports
# EACCES (not ENOENT) as a 'listen' error event; connecting there is ENOENT.
import os

import gnet as net
from _trace import log, parity_dir

where = os.path.join(parity_dir(), 'no-such-dir', 'server.sock')
server = net.createServer()


def on_error(err):
    log('server error', err.code, err.syscall, err.address == where,
        err.message == 'listen EACCES: permission denied %s' % where)
    log('server listening', server.listening)
    client = net.connect(where)
    client.on('error', lambda e: log('client error', e.code, e.syscall))
    client.on('close', lambda had_error: log('client close', had_error))


server.on('error', on_error)
server.listen(where, lambda: log('server listening?!'))
net.run()
