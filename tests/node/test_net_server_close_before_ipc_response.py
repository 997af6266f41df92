"""test-net-server-close-before-ipc-response.js: in a cluster worker, a server
closed right after listen(0) never emits 'listening' (its listen callback
must not run), and the worker exits cleanly.

Ported with gnet.cluster: the primary is this test, the worker runs
`worker()` below (a target, gnet's spawn model) and its listen goes through
the primary as in Node.  Differences: a gnet worker's listen() waits for the
primary's answer inside the call, so the close() always comes after the
answer, not before it as Node's test arranges; and Node's test patches the
worker's process.send (its internal IPC messages) to disconnect once the
'close' message goes out -- a gnet worker without 'message' or 'disconnect'
listeners of its own is not held by its channel (Node's cluster puts such
listeners on every worker's process), so it exits by itself.  A mustNotCall that fired in the worker would crash
it: the primary checks that the worker exited with code 0."""

import gnet as net
from gnet import cluster


def worker():
    def must_not_call():
        raise AssertionError('listening must not be emitted')
    net.createServer().listen(0, must_not_call).close()


def test_net_server_close_before_ipc_response(common):
    saved = dict(cluster.settings)
    try:
        cluster.setup_primary(target=worker, handle_signals=False)
        child = cluster.fork()

        def on_exit(code, signal):
            assert (code, signal) == (0, None)
        child.on('exit', common.mustCall(on_exit))
        child.on('listening', common.mustNotCall())

        common.run()
    finally:
        cluster.settings.clear()
        cluster.settings.update(saved)
