"""test-net-listen-handle-in-cluster-1.js: a listening server sent by the
cluster primary to a worker arrives there as a net.Server.

Ported with gnet.cluster: the worker is this module's `worker` function (Node
runs the same script again); Node's process.on('message') is
cluster.worker.on('message'), which holds the worker's channel as Node's
does (the worker stays until the server arrives).  Node's worker-side
mustCall becomes a marker file that the worker's 'message' listener writes
and the primary checks when its loop is done."""

import os
import sys

import gnet as net
from gnet import cluster


def worker(marker):
    def on_message(_, server):
        assert isinstance(server, net.Server) is True
        with open(marker, 'w') as f:
            f.write('message')
        sys.exit(0)
    cluster.worker.on('message', on_message)


def test_net_listen_handle_in_cluster_1(common):
    marker = os.path.join(common.tmpdir, 'message')
    cluster.setupPrimary(target=worker, target_args=[marker], handle_signals=False)
    worker_ = cluster.fork()
    server = net.createServer()

    def on_online():
        def on_listening():
            worker_.send(None, server)  # the server, to the worker
        server.listen(common.mustCall(on_listening))
    worker_.on('online', common.mustCall(on_online))
    worker_.on('exit', common.mustCall(lambda code, signal=None: server.close()))

    def at_exit():
        assert os.path.exists(marker), "the worker's 'message' listener did not run"
    common.on_exit(at_exit)
    try:
        common.run()
    finally:
        server.close()
