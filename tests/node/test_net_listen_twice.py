"""test-net-listen-twice.js: in a cluster worker, calling listen() a second
time right after the first either raises (the worker then exits 0) or is
harmless: 'listening' fires once, and the worker closes and disconnects; the
primary sees the worker exit with code 0.

Ported with gnet.cluster: the worker is this module's `worker` function (Node
runs the same script again).  Where listen() does not raise, Node closes once
its internal 'NODE_CLUSTER' messages show both listen requests answered (a
private channel); here the worker closes on the turn after 'listening', and
its once-only 'listening' count is written to a marker file that the primary
checks."""

import os
import sys

import gnet as net
from gnet import cluster


def worker(marker):
    server = net.createServer()
    server.listen()
    try:
        server.listen()
    except Exception as e:  # noqa: BLE001 - Node catches anything here
        print(e, file=sys.stderr, flush=True)
        sys.exit(0)
    count = {'listening': 0}

    def on_listening():
        count['listening'] += 1

        def close():
            def on_close(err=None):
                with open(marker, 'w') as f:
                    f.write(str(count['listening']))
                cluster.worker.disconnect()
            server.close(on_close)
        net.setImmediate(close)
    server.on('listening', on_listening)


def test_net_listen_twice(common):
    marker = os.path.join(common.tmpdir, 'listening')
    cluster.setupPrimary(target=worker, target_args=[marker], handle_signals=False)
    worker_ = cluster.fork()

    def on_exit(code, signal=None):
        assert code == 0
    worker_.on('exit', common.mustCall(on_exit))

    def at_exit():
        if os.path.exists(marker):  # listen() did not raise: 'listening' must come once
            with open(marker) as f:
                assert f.read() == '1'
    common.on_exit(at_exit)
    common.run()
