"""test-net-listen-ipv6only.js: a server on '::' with ipv6Only does not accept
IPv4: connecting to 0.0.0.0 on its port is refused (ECONNREFUSED).

ipv6Only only matters on the IPv6 wildcard, so this port keeps Node's '::'
listen (for the few milliseconds of the test); the client's 0.0.0.0 is Node's
too (Linux routes it to this host)."""

import pytest

import gnet as net


def test_net_listen_ipv6only(common):
    if not common.hasIPv6:
        pytest.skip('no IPv6 support')

    host = '::'
    server = net.createServer()

    def on_listening():
        port = server.address()['port']
        socket = net.connect({'host': '0.0.0.0', 'port': port})
        socket.on('connect', common.mustNotCall())

        def on_error(err):
            assert err.code == 'ECONNREFUSED'
            server.close()
        socket.on('error', common.mustCall(on_error))

    server.listen({'host': host, 'port': 0, 'ipv6Only': True}, common.mustCall(on_listening))
    common.run()
