"""test-net-listen-fd0.js: listen({fd: 0}) where descriptor 0 is not a socket
emits 'error' EINVAL or ENOTSOCK and never accepts.

Node's test relies on its stdin not being a listening socket; here descriptor
0 is pointed at /dev/null for the scenario (and restored after), as when the
test runs with stdin from /dev/null."""

import os

import gnet as net


def test_net_listen_fd0(common):
    saved = os.dup(0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    try:
        def on_error(e):
            assert isinstance(e, Exception)
            assert e.code in ['EINVAL', 'ENOTSOCK']

        net.createServer(common.mustNotCall()) \
            .listen({'fd': 0}) \
            .on('error', common.mustCall(on_error))
        common.run()
    finally:
        os.dup2(saved, 0)
        os.close(saved)
