"""test-net-connect-paused-connection.js: a client that connects and is paused
at once, to an unref'd server whose connection is unref'd, does not keep the
loop alive: the process exits before an unref'd 1 s timer could fire."""

import gnet as net


def test_net_connect_paused_connection(common):
    opened = []

    def on_connection(conn):
        opened.append(conn)
        conn.unref()

    server = net.createServer(on_connection)

    def on_listening():
        opened.append(net.connect(server.address()['port'], 'localhost').pause())
        net.setTimeout(common.mustNotCall('expected to exit'), 1000).unref()

    server.listen(0, common.mustCall(on_listening)).unref()
    try:
        common.run()
    finally:
        # Node's process exits with these still open; here the next test goes on
        for sock in opened:
            sock.destroy()
        server.close()
