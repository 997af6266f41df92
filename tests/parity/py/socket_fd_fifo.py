# parity: group
# new net.Socket({fd}) on the two ends of a FIFO (as process.stdin/stdout on pipes):
# the reader gets the data then 'end'; descriptors Node cannot stream throw.
import json
import os
import stat

import gnet as net
from _trace import log, parity_dir

where = os.path.join(parity_dir(), 'fifo')
os.mkfifo(where)
file = os.open(__file__, os.O_RDONLY)
directory = os.open(parity_dir(), os.O_RDONLY)
closed = os.open(__file__, os.O_RDONLY)
os.close(closed)
for label, fd in [('file', file), ('dir', directory), ('closed', closed), ('negative', -1),
                  ('fraction', 1.5), ('string', '3')]:
    try:
        net.Socket({'fd': fd})
        log('reject', label, 'accepted?!')
    except net.errors.NodeError as err:
        # Python spells the received value its own way: messages are compared up to it
        log('reject', label, err.code, err.name, err.message.split('. Received')[0])
log('reject file still open', stat.S_ISREG(os.fstat(file).st_mode))
os.close(file)
os.close(directory)

reader = net.Socket({'fd': os.open(where, os.O_RDONLY | os.O_NONBLOCK)})
writer = net.Socket({'fd': os.open(where, os.O_WRONLY), 'readable': False})
os.unlink(where)
log('reader', reader.readable, reader.writable, reader.readyState, reader.pending,
    json.dumps(reader.address()), reader.remoteAddress)
log('writer', writer.readable, writer.writable, writer.readyState, writer.pending)
got = []
reader.on('data', got.append)
reader.on('end', lambda: log('reader end', b''.join(got).decode(), reader.bytesRead))
reader.on('close', lambda had_error: log('reader close', had_error))
writer.on('finish', lambda: log('writer finish', writer.bytesWritten))
writer.on('close', lambda had_error: log('writer close', had_error))
writer.write('hello ')
writer.end('world', lambda err=None: log('writer end callback'))
net.run()
