"""test-net-dns-lookup.js: connecting to 'localhost' emits 'lookup' (at least
once) with no error, a loopback address, family 4 or 6 and the host name."""

import re

import gnet as net


def test_net_dns_lookup(common):
    def on_connection(client):
        client.end()
        server.close()

    server = net.createServer(on_connection)

    def on_lookup(err, ip, type, host):
        assert err is None
        assert re.match(r'^(127\.0\.0\.1|::1)$', ip)
        assert re.match(r'^(4|6)$', str(type))
        assert host == 'localhost'

    def on_listening():
        net.connect(server.address()['port'], 'localhost') \
            .on('lookup', common.mustCallAtLeast(on_lookup, 1))

    server.listen(0, common.mustCall(on_listening))
    common.run()
