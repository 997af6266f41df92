"""test-net-listen-exclusive-random-ports.js: two cluster workers that each
listen on port 0 with exclusive: true get ports of their own (different).

Ported with gnet.cluster: the worker is this module's `worker` function (Node
runs the same script again).  Node's workers listen on the wildcard address;
here they listen on 127.0.0.1 (loopback only)."""

import gnet as net
from gnet import cluster


def worker():
    server = net.createServer(lambda socket: None)
    server.on('error', lambda err: cluster.worker.send(err.code))
    server.listen({'port': 0, 'host': '127.0.0.1', 'exclusive': True},
                  lambda: cluster.worker.send(server.address()['port']))


def test_net_listen_exclusive_random_ports(common):
    cluster.setupPrimary(target=worker, handle_signals=False)
    worker1 = cluster.fork()

    def on_message1(port1, handle=None):
        assert isinstance(port1, int), 'first worker could not listen on port %s' % port1
        worker2 = cluster.fork()

        def on_message2(port2, handle=None):
            assert isinstance(port2, int), 'second worker could not listen on port %s' % port2
            assert port1 != port2, 'ports should not be equal'
            worker1.kill()
            worker2.kill()
        worker2.on('message', on_message2)
    worker1.on('message', on_message1)
    common.run(timeout_s=30)
