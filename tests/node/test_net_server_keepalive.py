"""test-net-server-keepalive.js: a server created with keepAlive and a 1000 ms
keepAliveInitialDelay turns keep-alive on for each accepted socket with that
delay; later setKeepAlive() calls on the socket change the delay (2 s, 3 s).

Node spies on its internal handles (server._handle.onconnection and the
client handle's setKeepAlive) and counts their calls: exactly one at accept
time with the server's values, then two for the socket (a repeated 1000 ms
delay does not reach the handle).  gnet has no handle methods to spy on, so
the call counts are left out; the port checks their effect on the accepted
descriptor instead (SO_KEEPALIVE, TCP_KEEPIDLE in seconds), read as
gnet.testing.socket_checks does, through the private _handle."""

import os
import socket as pysocket

import gnet as net


def _opt(sock, level, name):
    dup = pysocket.socket(fileno=os.dup(sock._handle.fileno))
    try:
        return dup.getsockopt(level, name)
    finally:
        dup.close()


def test_net_server_keepalive(common):
    def on_connection(socket):
        # what the server applied at accept time
        assert _opt(socket, pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE) == 1
        assert _opt(socket, pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE) == 1
        socket.setKeepAlive(True, 1000)
        socket.setKeepAlive(True, 2000)
        assert _opt(socket, pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE) == 2
        socket.setKeepAlive(True, 3000)
        assert _opt(socket, pysocket.SOL_SOCKET, pysocket.SO_KEEPALIVE) == 1
        assert _opt(socket, pysocket.IPPROTO_TCP, pysocket.TCP_KEEPIDLE) == 3
        socket.destroy()
        server.close()

    server = net.createServer({
        'keepAlive': True,
        'keepAliveInitialDelay': 1000,
    }, common.mustCall(on_connection))

    def on_listening():
        net.connect(server.address()['port'])
    server.listen(0, common.mustCall(on_listening))

    common.run()
