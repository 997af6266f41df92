# Connecting to a Unix socket path that does not exist: ENOENT, then 'close' (true).
import os

import gnet as net
from _trace import log, parity_dir

where = os.path.join(parity_dir(), 'missing.sock')
client = net.connect(where)
client.on('error', lambda err: log('client error', err.code, err.syscall, err.address == where))
client.on('close', lambda had_error: log('client close', had_error))
net.run()
