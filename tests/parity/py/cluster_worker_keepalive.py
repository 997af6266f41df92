# What keeps a cluster worker alive: 'message'/'disconnect' listeners on
# process (Node's rule for an IPC channel) and a message being written,
# nothing else.  Node's cluster registers such listeners on every worker's
# process; gnet's cluster.worker registers none, so this worker drops Node's
# own first and both run the one rule.  Cases, one worker after the other:
# 'message' (held until the primary's ping; exits once its listener has
# removed itself), 'none' (exits by itself), 'send' (10 MB written, then exits).
# Node's process in a worker is gnet's cluster.worker; the script runs again
# as each worker (setupPrimary's default exec), as in Node.
import os

import gnet as net
from _trace import log
from gnet import cluster

cases = ['message', 'none', 'send']

if cluster.isPrimary:
    def next_(i):
        if i == len(cases):
            return
        name = cases[i]
        worker = cluster.fork({'CASE': name})
        timer = [None]

        def on_online():
            log(name, 'online')
            if name == 'message':
                def probe():
                    log(name, 'running', not worker.isDead())
                    worker.send('ping')
                timer[0] = net.setTimeout(probe, 200)
        worker.on('online', on_online)
        worker.on('message', lambda m, handle: log(name, 'message', len(m) if len(m) > 100 else m))

        def on_exit(code, signal):
            net.clearTimeout(timer[0])
            log(name, 'exit', code, signal)
            next_(i + 1)
        worker.on('exit', on_exit)
    next_(0)
else:
    # (gnet registers no listener of its own on cluster.worker: nothing to remove)
    name = os.environ['CASE']
    if name == 'message':
        def answer(m, handle):
            cluster.worker.send('got ' + m)
            cluster.worker.removeListener('message', answer)
        cluster.worker.on('message', answer)
    elif name == 'send':
        cluster.worker.send('x' * (10 * 1000 * 1000))
net.run()
