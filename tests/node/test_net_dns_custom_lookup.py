"""test-net-dns-custom-lookup.js: a custom lookup that answers on the next tick
(one address or, with `all`, a list) is used for IPv4 then IPv6 connects, and
'lookup' reports its answer; a lookup answering no address (undefined) makes
the socket fail with ERR_INVALID_IP_ADDRESS."""

import gnet as net


def test_net_dns_custom_lookup(common):
    def check(addressType, cb=None):
        def on_connection(client):
            client.end()
            server.close()
            if cb:
                cb()

        server = net.createServer(on_connection)
        address = common.localhostIPv4 if addressType == 4 else '::1'

        def lookup(host, dnsopts, cb):
            dnsopts['family'] = addressType

            if addressType == 4:
                def answer4():
                    if dnsopts['all']:
                        cb(None, [{'address': common.localhostIPv4, 'family': 4}])
                    else:
                        cb(None, common.localhostIPv4, 4)
                net.nextTick(answer4)
            else:
                def answer6():
                    if dnsopts['all']:
                        cb(None, [{'address': '::1', 'family': 6}])
                    else:
                        cb(None, '::1', 6)
                net.nextTick(answer6)

        def on_lookup(err, ip, type, host=None):
            assert err is None
            assert address == ip
            assert type == addressType

        def on_listening():
            net.connect({
                'port': server.address()['port'],
                'host': 'localhost',
                'family': addressType,
                'lookup': lookup,
            }).on('lookup', common.mustCall(on_lookup))

        server.listen(0, address, common.mustCall(on_listening))

    check(4, lambda: common.hasIPv6 and check(6))

    def bad_lookup(host, dnsopts, cb):
        if dnsopts['all']:
            cb(None, [{'address': None, 'family': 4}])
        else:
            cb(None, None, 4)

    net.connect({
        'host': 'localhost',
        'port': 80,
        'lookup': bad_lookup,
    }).on('error', common.expectsError(code='ERR_INVALID_IP_ADDRESS'))
    common.run()
