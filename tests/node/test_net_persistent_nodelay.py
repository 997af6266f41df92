"""test-net-persistent-nodelay.js: setNoDelay() called on a Socket before it
has connected returns the Socket and is applied once the socket connects.

Node counts the calls of its internal TCPWrap.setNoDelay (exactly one); gnet
has no such handle method to spy on, so that count is left out and the port
checks the effect instead: TCP_NODELAY is set on the connected descriptor
(read, as gnet.testing.socket_checks does, through the private _handle)."""

import os
import socket as pysocket

import gnet as net


def _opt(sock, level, name):
    dup = pysocket.socket(fileno=os.dup(sock._handle.fileno))
    try:
        return dup.getsockopt(level, name)
    finally:
        dup.close()


def test_net_persistent_nodelay(common):
    echoServer = net.createServer(lambda connection: connection.end())
    echoServer.listen(0)

    def on_listening():
        sock1 = net.Socket()
        s = sock1.setNoDelay()
        assert isinstance(s, net.Socket)
        sock1.connect(echoServer.address()['port'])

        def on_end():
            assert _opt(sock1, pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY) != 0
            echoServer.close()
        sock1.on('end', on_end)
    echoServer.on('listening', on_listening)

    common.run()
