"""test-net-server-unref-persistent.js: unref() before listen() lasts: the
listening server does not keep the loop alive (an unref'd 1 s timer never
fires)."""

import gnet as net


def test_net_server_unref_persistent(common):
    server = net.createServer()

    server.unref()
    server.listen()

    net.setTimeout(common.mustNotCall(), 1000).unref()

    try:
        common.run()
    finally:
        server.close()  # Node's process exits with it listening
