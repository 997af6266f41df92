"""test-net-connect-options-ipv6.js: a client connects to an IPv6 server by a
host name that a custom lookup (asked for family 6) answers with ::1; with
allowHalfOpen the client stays writable after the server's FIN and ends itself."""

import pytest

import gnet as net

hostAddrIPv6 = '::1'
HOSTNAME = 'dummy'


def test_net_connect_options_ipv6(common):
    if not common.hasIPv6:
        pytest.skip('no IPv6 support')

    def on_connection(socket):
        socket.resume()
        socket.on('end', common.mustCall())
        socket.end()

    server = net.createServer({'allowHalfOpen': True}, on_connection)

    def tryConnect():
        def lookup(addr, opt, cb):
            assert addr == HOSTNAME
            assert opt['family'] == 6
            cb(None, hostAddrIPv6, opt['family'])

        connectOpt = {
            'host': HOSTNAME,
            'port': server.address()['port'],
            'family': 6,
            'allowHalfOpen': True,
            'lookup': common.mustCall(lookup),
        }

        def on_connect():
            client.resume()

            def on_end():
                def later():
                    assert client.writable
                    client.end()
                net.setTimeout(later, 10)
            client.on('end', on_end)
            client.on('close', lambda had_error: server.close())

        client = net.connect(connectOpt, on_connect)

    server.listen(0, hostAddrIPv6, tryConnect)
    common.run()
