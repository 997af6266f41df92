"""test-net-server-unref.js: an unref'd listening server does not keep the
loop alive (an unref'd 1 s timer never fires)."""

import gnet as net


def test_net_server_unref(common):
    s = net.createServer()
    s.listen(0)
    s.unref()

    timer = net.setTimeout(common.mustNotCall(), 1000).unref()

    try:
        common.run()
    finally:
        # Node's process exits with these pending; here the next test goes on
        s.close()
        net.clearTimeout(timer)
