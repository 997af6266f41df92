"""test-net-socket-connect-without-cb.js: Socket.connect() given the server's
address() dict and no callback still connects; the 'connect' listener ends it.

The server listens on '::', so the client connects to 'localhost' with family
IPv6: where 'localhost' has no IPv6 address (this machine's /etc/hosts) Node's
original fails with getaddrinfo ENOTFOUND, and so does the port: skipped there."""

import socket

import pytest

import gnet as net


def _localhost_has_ipv6():
    try:
        return bool(socket.getaddrinfo('localhost', 0, socket.AF_INET6))
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    socket.has_ipv6 and not _localhost_has_ipv6(),
    reason="'localhost' has no IPv6 address here: Node's original fails too (ENOTFOUND)")


def test_net_socket_connect_without_cb(common):
    def on_connection(conn):
        conn.end()
        server.close()

    def on_listening():
        client = net.Socket()

        client.on('connect', common.mustCall(lambda: client.end()))

        address = server.address()
        if not common.hasIPv6 and address['family'] == 'IPv6':
            client.connect(address['port'])
        else:
            client.connect(address)

    server = net.createServer(common.mustCall(on_connection)).listen(0, common.mustCall(on_listening))
    common.run()
