"""test-socketaddress.js: SocketAddress defaults (127.0.0.1, port 0, ipv4,
flowlabel 0), its options, its argument errors, and that a SocketAddress sent
across a boundary arrives as a SocketAddress with the same fields.

Differences: Node posts the address through a MessageChannel (a structured
clone); the Python way across a process boundary is pickle, so it is a
pickle round trip here. JS's ``[]`` and ``{}`` are lists and dicts. Left
out: the last block, which builds Node's InternalSocketAddress from an
internalBinding handle (--expose-internals; no public equivalent)."""

import pickle

from gnet import SocketAddress


def test_socketaddress(common):
    sa = SocketAddress()
    assert sa.address == '127.0.0.1'
    assert sa.port == 0
    assert sa.family == 'ipv4'
    assert sa.flowlabel == 0

    def onmessage(data):
        assert SocketAddress.isSocketAddress(data)

        assert data.address == '127.0.0.1'
        assert data.port == 0
        assert data.family == 'ipv4'
        assert data.flowlabel == 0
    common.mustCall(onmessage)(pickle.loads(pickle.dumps(sa)))

    sa = SocketAddress({})
    assert sa.address == '127.0.0.1'
    assert sa.port == 0
    assert sa.family == 'ipv4'
    assert sa.flowlabel == 0

    sa = SocketAddress({
        'address': '123.123.123.123',
    })
    assert sa.address == '123.123.123.123'
    assert sa.port == 0
    assert sa.family == 'ipv4'
    assert sa.flowlabel == 0

    sa = SocketAddress({
        'address': '123.123.123.123',
        'port': 80,
    })
    assert sa.address == '123.123.123.123'
    assert sa.port == 80
    assert sa.family == 'ipv4'
    assert sa.flowlabel == 0

    sa = SocketAddress({
        'family': 'ipv6',
    })
    assert sa.address == '::'
    assert sa.port == 0
    assert sa.family == 'ipv6'
    assert sa.flowlabel == 0

    sa = SocketAddress({
        'family': 'ipv6',
        'flowlabel': 1,
    })
    assert sa.address == '::'
    assert sa.port == 0
    assert sa.family == 'ipv6'
    assert sa.flowlabel == 1

    for i in [1, False, 'hello']:
        common.throws(lambda: SocketAddress(i), code='ERR_INVALID_ARG_TYPE')

    for family in [1, False, {}, [], 'test']:
        common.throws(lambda: SocketAddress({'family': family}), code='ERR_INVALID_ARG_VALUE')

    for address in [1, False, {}, []]:
        common.throws(lambda: SocketAddress({'address': address}), code='ERR_INVALID_ARG_TYPE')

    for port in [-1, False, {}, []]:
        common.throws(lambda: SocketAddress({'port': port}), code='ERR_SOCKET_BAD_PORT')

    common.throws(lambda: SocketAddress({'flowlabel': -1}), code='ERR_OUT_OF_RANGE')
