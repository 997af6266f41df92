"""test-net-listen-handle-in-cluster-2.js: in a cluster worker, listen(handle)
with a socket the worker bound itself listens directly (not through the
primary) and calls its listen callback.

Ported with gnet.cluster: the worker is this module's `worker` function (Node
runs the same script again).  Node's handle comes from its internal TCP
binding, bound to 0.0.0.0:0; here it is a Python socket bound to
127.0.0.1:0 (loopback only).  Node's worker-side mustCall becomes a marker
file that the listen callback writes and the primary checks when its loop is
done."""

import os
import socket as pysocket
import sys

import gnet as net
from gnet import cluster


def worker(marker):
    handle = pysocket.socket(pysocket.AF_INET, pysocket.SOCK_STREAM)
    handle.bind(('127.0.0.1', 0))  # Node: handle.bind('0.0.0.0', 0) returns 0

    def on_listening():
        with open(marker, 'w') as f:
            f.write('listening')
        sys.exit(0)
    net.createServer().listen(handle, on_listening)


def test_net_listen_handle_in_cluster_2(common):
    marker = os.path.join(common.tmpdir, 'listening')
    cluster.setupPrimary(target=worker, target_args=[marker], handle_signals=False)
    cluster.fork()

    def at_exit():
        assert os.path.exists(marker), "the worker's listen callback did not run"
    common.on_exit(at_exit)
    common.run()
