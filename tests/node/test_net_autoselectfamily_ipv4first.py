"""test-net-autoselectfamily-ipv4first.js: with autoSelectFamily, when the
lookup answers IPv4 first, the IPv4 address is tried first and wins even
though an IPv6 server listens on the same port.

The name resolves through Node's ``createMockedLookup`` (test/common/dns),
written out below.
"""

import gnet as net
from gnet import createConnection, createServer


def createMockedLookup(*addresses):
    addresses = [{'address': address, 'family': net.isIP(address)} for address in addresses]

    def lookup(hostname, options, cb):
        if options.get('all') is True:
            net.next_tick(lambda: cb(None, addresses))
            return
        net.next_tick(lambda: cb(None, addresses[0]['address'], addresses[0]['family']))
    return lookup


def test_net_autoselectfamily_ipv4first(common):
    if not common.hasIPv6:
        return

    def on_ipv4_connection(socket):
        def on_data(data):
            socket.write('response-ipv4')
            socket.end()
        socket.on('data', common.mustCall(on_data))
    ipv4Server = createServer(on_ipv4_connection)

    def on_ipv6_connection(socket):
        def on_data(data):
            socket.write('response-ipv6')
            socket.end()
        socket.on('data', common.mustNotCall(on_data))
    ipv6Server = createServer(on_ipv6_connection)

    def on_ipv4_listening():
        port = ipv4Server.address()['port']

        def on_ipv6_listening():
            connection = createConnection({
                'host': 'example.org',
                'port': port,
                'lookup': createMockedLookup('127.0.0.1', '::1'),
                'autoSelectFamily': True,
            })

            response = []
            connection.setEncoding('utf-8')

            connection.on('data', lambda chunk: response.append(chunk))

            def on_end():
                assert ''.join(response) == 'response-ipv4'
                ipv4Server.close()
                ipv6Server.close()
            connection.on('end', common.mustCall(on_end))

            connection.write('request')

        ipv6Server.listen(port, '::1', common.mustCall(on_ipv6_listening))

    ipv4Server.listen(0, '127.0.0.1', common.mustCall(on_ipv4_listening))
    common.run()
