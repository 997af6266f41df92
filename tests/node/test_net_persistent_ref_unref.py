"""test-net-persistent-ref-unref.js: unref() then ref() on a Socket that has
not connected yet; the socket then connects, receives the server's FIN and
the server closes.

Left out: Node spies on its internal TCPWrap.ref/unref to check that the two
calls reach the handle in order once it exists (ending referenced); gnet has
no handle-level ref/unref to count (ref state lives in the loop), so only the
scenario is ported."""

import gnet as net


def test_net_persistent_ref_unref(common):
    echoServer = net.createServer(lambda conn: conn.end())
    echoServer.listen(0)

    def on_listening():
        sock = net.Socket()
        sock.unref()
        sock.ref()
        sock.connect(echoServer.address()['port'])
        sock.on('end', lambda: echoServer.close())
    echoServer.on('listening', on_listening)

    common.run()
