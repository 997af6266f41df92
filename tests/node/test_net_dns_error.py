"""test-net-dns-error.js: connecting to a host name that cannot resolve (64
asterisks) emits 'lookup' with the resolver's error and no address, then
'error' with ENOTFOUND or EAI_FAIL, and never connects."""

import gnet as net

host = '*' * 64
errCodes = ['ENOTFOUND', 'EAI_FAIL']


def test_net_dns_error(common):
    socket = net.connect(42, host, common.mustNotCall())

    def on_error(err):
        assert err.code in errCodes, err
    socket.on('error', common.mustCall(on_error))

    def on_lookup(err, ip, type, host=None):
        assert isinstance(err, Exception)
        assert err.code in errCodes, err
        assert ip is None
        assert type is None
    socket.on('lookup', common.mustCall(on_lookup))
    common.run()
