"""test-net-server-unref.js: an unref'd listening server does not keep the
loop alive (an unref'd 1 s timer never fires)."""

import gnet as net


def test_net_server_unref(common):
    s = net.createServer()
    s.listen(0)
    s.unref()

    net.setTimeout(common.mustNotCall(), 1000).unref()

    try:
        common.run()
    finally:
        s.close()  # Node's process exits with it listening
