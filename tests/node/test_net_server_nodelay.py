"""test-net-server-nodelay.js: a server created with noDelay sets TCP_NODELAY
on each accepted socket; a later socket.setNoDelay(true) keeps it set.

Node spies on its internal handles (server._handle.onconnection and the
client handle's setNoDelay): exactly one call at accept time with the
server's value, and none for the socket's own setNoDelay(true), which is
already in effect.  gnet has no handle methods to spy on, so the call counts
are left out; the port checks their effect on the accepted descriptor
instead, read as gnet.testing.socket_checks does, through the private
_handle."""

import os
import socket as pysocket

import gnet as net


def _opt(sock, level, name):
    dup = pysocket.socket(fileno=os.dup(sock._handle.fileno))
    try:
        return dup.getsockopt(level, name)
    finally:
        dup.close()


def test_net_server_nodelay(common):
    def on_connection(socket):
        assert _opt(socket, pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY) != 0
        socket.setNoDelay(True)
        assert _opt(socket, pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY) != 0
        socket.destroy()
        server.close()

    server = net.createServer({
        'noDelay': True,
    }, common.mustCall(on_connection))

    def on_listening():
        net.connect(server.address()['port'])
    server.listen(0, common.mustCall(on_listening))

    common.run()
