"""test-net-dns-lookup-skip.js: connecting to an IP literal (IPv4, and IPv6
where available) skips the lookup: no 'lookup' event."""

import gnet as net


def test_net_dns_lookup_skip(common):
    def check(addressType):
        def on_connection(client):
            client.end()
            server.close()

        server = net.createServer(on_connection)
        address = '127.0.0.1' if addressType == 4 else '::1'

        def on_listening():
            net.connect(server.address()['port'], address).on('lookup', common.mustNotCall())

        server.listen(0, address, on_listening)

    check(4)
    if common.hasIPv6:
        check(6)
    common.run()
