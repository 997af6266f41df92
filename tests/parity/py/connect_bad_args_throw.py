# Bad connect() arguments throw synchronously (nothing is emitted later).
import gnet as net
from _trace import log

tries = [
    lambda: net.connect(-1),
    lambda: net.connect({'port': 65536}),
    lambda: net.connect({'port': 'abc'}),
    lambda: net.connect({}),
    lambda: net.connect({'port': 80, 'host': 5}),
    lambda: net.connect({'port': 80, 'family': 5}),
    lambda: net.connect({'path': 5}),
    lambda: net.connect({'port': 80, 'localAddress': 'nope'}),
]
for t in tries:
    try:
        t()
        log('no throw?!')
    except net.errors.NodeError as err:
        log('throw', err.code, err.name)
net.run()
