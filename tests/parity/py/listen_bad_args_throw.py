# Bad listen() arguments throw synchronously; a string that is not a number is a pipe path.
import gnet as net
from _trace import log

tries = [
    lambda: net.createServer().listen(65536),
    lambda: net.createServer().listen(-1),
    lambda: net.createServer().listen({'port': 'abc'}),
    lambda: net.createServer().listen({}),
    lambda: net.createServer().listen({'port': 0, 'host': 5}),
    lambda: net.createServer().listen(True),
    lambda: net.createServer().listen({'fd': -1}),
]
for t in tries:
    try:
        t()
        log('no throw?!')
    except net.errors.NodeError as err:
        log('throw', err.code, err.name)
net.run()
