"""test-net-server-unref-persistent.js: unref() before listen() lasts: the
listening server does not keep the loop alive (an unref'd 1 s timer never
fires)."""

import gnet as net


def test_net_server_unref_persistent(common):
    server = net.createServer()

    server.unref()
    server.listen()

    timer = net.setTimeout(common.mustNotCall(), 1000).unref()

    try:
        common.run()
    finally:
        # Node's process exits with these pending; here the next test goes on
        server.close()
        net.clearTimeout(timer)
