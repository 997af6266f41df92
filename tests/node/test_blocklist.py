"""test-blocklist.js: BlockList's argument validation (types, families, ranges,
prefixes), matching of addresses, ranges and subnets across IPv4 and IPv6
(IPv4-mapped addresses included), and its ``rules`` listing.

Not translated: JS ``null`` as the *family* argument (Python has one None,
which means "not given", so the default family applies); ``1n`` (a BigInt)
becomes a Python int too large for a machine word; ``util.inspect`` with
``depth: -1`` (``'[BlockList]'``) has no Python counterpart, and the
``depth: null`` check becomes a check of ``repr``.  Node's calls with
arguments left off (``addRange(i)``, ``addSubnet(1)``) pass them as
``undefined``; a Python call without a required argument is a call error
before gnet runs, so those calls pass the missing argument as ``None``.
"""

from gnet import BlockList, SocketAddress

BIG = 2 ** 70  # stands for JS's 1n


def test_argument_types(common):
    blockList = BlockList()

    for i in [1, [], {}, None, BIG, None, None]:
        common.throws(lambda i=i: blockList.addAddress(i), code='ERR_INVALID_ARG_TYPE')

    for i in [1, [], {}, BIG]:  # JS null here: see the docstring
        common.throws(lambda i=i: blockList.addAddress('1.1.1.1', i), code='ERR_INVALID_ARG_TYPE')

    common.throws(lambda: blockList.addAddress('1.1.1.1', 'foo'), code='ERR_INVALID_ARG_VALUE')

    for i in [1, [], {}, None, BIG, None, None]:
        common.throws(lambda i=i: blockList.addRange(i, None), code='ERR_INVALID_ARG_TYPE')
        common.throws(lambda i=i: blockList.addRange('1.1.1.1', i), code='ERR_INVALID_ARG_TYPE')

    for i in [1, [], {}, BIG]:
        common.throws(lambda i=i: blockList.addRange('1.1.1.1', '1.1.1.2', i),
                      code='ERR_INVALID_ARG_TYPE')

    common.throws(lambda: blockList.addRange('1.1.1.1', '1.1.1.2', 'foo'),
                  code='ERR_INVALID_ARG_VALUE')
    common.run()


def test_addresses():
    blockList = BlockList()
    blockList.addAddress('1.1.1.1')
    blockList.addAddress('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17', 'ipv6')
    blockList.addAddress('::ffff:1.1.1.2', 'ipv6')

    assert blockList.check('1.1.1.1')
    assert not blockList.check('1.1.1.1', 'ipv6')
    assert not blockList.check('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17')
    assert blockList.check('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17', 'ipv6')

    assert blockList.check('::ffff:1.1.1.1', 'ipv6')
    assert blockList.check('::ffff:1.1.1.1', 'IPV6')

    assert blockList.check('1.1.1.2')

    assert not blockList.check('1.2.3.4')
    assert not blockList.check('::1', 'ipv6')


def test_socket_addresses():
    blockList = BlockList()
    sa1 = SocketAddress({'address': '1.1.1.1'})
    sa2 = SocketAddress({
        'address': '8592:757c:efae:4e45:fb5d:d62a:0d00:8e17',
        'family': 'ipv6',
    })
    sa3 = SocketAddress({'address': '1.1.1.2'})

    blockList.addAddress(sa1)
    blockList.addAddress(sa2)
    blockList.addAddress('::ffff:1.1.1.2', 'ipv6')

    assert blockList.check('1.1.1.1')
    assert blockList.check(sa1)
    assert not blockList.check('1.1.1.1', 'ipv6')
    assert not blockList.check('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17')
    assert blockList.check('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17', 'ipv6')
    assert blockList.check(sa2)

    assert blockList.check('::ffff:1.1.1.1', 'ipv6')
    assert blockList.check('::ffff:1.1.1.1', 'IPV6')

    assert blockList.check('1.1.1.2')
    assert blockList.check(sa3)

    assert not blockList.check('1.2.3.4')
    assert not blockList.check('::1', 'ipv6')


def test_ranges():
    blockList = BlockList()
    blockList.addRange('1.1.1.1', '1.1.1.10')
    blockList.addRange('::1', '::f', 'ipv6')

    assert not blockList.check('1.1.1.0')
    for n in range(1, 11):
        assert blockList.check('1.1.1.%d' % n)
    assert not blockList.check('1.1.1.11')

    assert not blockList.check('::0', 'ipv6')
    for n in range(0x1, 0xf + 1):
        assert blockList.check('::%x' % n, 'ipv6'), '::%x check failed' % n
    assert not blockList.check('::10', 'ipv6')


def test_ranges_of_socket_addresses():
    blockList = BlockList()
    sa1 = SocketAddress({'address': '1.1.1.1'})
    sa2 = SocketAddress({'address': '1.1.1.10'})
    sa3 = SocketAddress({'address': '::1', 'family': 'ipv6'})
    sa4 = SocketAddress({'address': '::f', 'family': 'ipv6'})

    blockList.addRange(sa1, sa2)
    blockList.addRange(sa3, sa4)

    assert not blockList.check('1.1.1.0')
    for n in range(1, 11):
        assert blockList.check('1.1.1.%d' % n)
    assert not blockList.check('1.1.1.11')

    assert not blockList.check('::0', 'ipv6')
    for n in range(0x1, 0xf + 1):
        assert blockList.check('::%x' % n, 'ipv6'), '::%x check failed' % n
    assert not blockList.check('::10', 'ipv6')


def test_subnets():
    blockList = BlockList()
    blockList.addSubnet('1.1.1.0', 16)
    blockList.addSubnet('8592:757c:efae:4e45::', 64, 'ipv6')

    assert blockList.check('1.1.0.1')
    assert blockList.check('1.1.1.1')
    assert not blockList.check('1.2.0.1')
    assert blockList.check('::ffff:1.1.0.1', 'ipv6')

    assert blockList.check('8592:757c:efae:4e45:f::', 'ipv6')
    assert blockList.check('8592:757c:efae:4e45::f', 'ipv6')
    assert not blockList.check('8592:757c:efae:4f45::f', 'ipv6')


def test_subnets_of_socket_addresses():
    blockList = BlockList()
    sa1 = SocketAddress({'address': '1.1.1.0'})
    sa2 = SocketAddress({'address': '1.1.1.1'})
    blockList.addSubnet(sa1, 16)
    blockList.addSubnet('8592:757c:efae:4e45::', 64, 'ipv6')

    assert blockList.check('1.1.0.1')
    assert blockList.check(sa2)
    assert not blockList.check('1.2.0.1')
    assert blockList.check('::ffff:1.1.0.1', 'ipv6')

    assert blockList.check('8592:757c:efae:4e45:f::', 'ipv6')
    assert blockList.check('8592:757c:efae:4e45::f', 'ipv6')
    assert not blockList.check('8592:757c:efae:4f45::f', 'ipv6')


def test_rules():
    blockList = BlockList()
    blockList.addAddress('1.1.1.1')
    blockList.addRange('10.0.0.1', '10.0.0.10')
    blockList.addSubnet('8592:757c:efae:4e45::', 64, 'IpV6')  # the family in any case

    rulesCheck = [
        'Subnet: IPv6 8592:757c:efae:4e45::/64',
        'Range: IPv4 10.0.0.1-10.0.0.10',
        'Address: IPv4 1.1.1.1',
    ]
    assert blockList.rules == rulesCheck

    assert blockList.check('1.1.1.1')
    assert blockList.check('10.0.0.5')
    assert blockList.check('::ffff:10.0.0.5', 'ipv6')
    assert blockList.check('8592:757c:efae:4e45::f', 'ipv6')

    assert not blockList.check('123.123.123.123')
    assert not blockList.check('8592:757c:efaf:4e45:fb5d:d62a:0d00:8e17', 'ipv6')
    assert not blockList.check('::ffff:123.123.123.123', 'ipv6')


def test_unaligned_prefixes():
    blockList = BlockList()
    blockList.addSubnet('10.0.0.0', 27)
    blockList.addSubnet('8592:757c:efaf::', 51, 'ipv6')

    for n in range(0, 32):
        assert blockList.check('10.0.0.%d' % n)
    assert not blockList.check('10.0.0.32')

    assert blockList.check('8592:757c:efaf:0:0:0:0:0', 'ipv6')
    assert blockList.check('8592:757c:efaf:1fff:ffff:ffff:ffff:ffff', 'ipv6')
    assert not blockList.check('8592:757c:efaf:2fff:ffff:ffff:ffff:ffff', 'ipv6')


def test_ipv4_range_seen_from_ipv6():
    blockList = BlockList()

    blockList.addRange('10.0.0.2', '10.0.0.10')

    assert blockList.check('10.0.0.2')
    assert blockList.check('10.0.0.10')
    assert not blockList.check('192.168.0.3')
    assert not blockList.check('2.2.2.2')
    assert not blockList.check('255.255.255.255')

    assert blockList.check('::ffff:0a00:0002', 'ipv6')
    assert blockList.check('::ffff:0a00:000a', 'ipv6')
    assert not blockList.check('::ffff:c0a8:0003', 'ipv6')
    assert not blockList.check('::ffff:0202:0202', 'ipv6')
    assert not blockList.check('::ffff:ffff:ffff', 'ipv6')


def test_range_backwards(common):
    blockList = BlockList()
    common.throws(lambda: blockList.addRange('1.1.1.2', '1.1.1.1'), code='ERR_INVALID_ARG_VALUE')


def test_subnet_arguments(common):
    blockList = BlockList()
    common.throws(lambda: blockList.addSubnet(1, None), code='ERR_INVALID_ARG_TYPE')
    common.throws(lambda: blockList.addSubnet('1.1.1.1', ''), code='ERR_INVALID_ARG_TYPE')
    common.throws(lambda: blockList.addSubnet('1.1.1.1', float('nan')), code='ERR_OUT_OF_RANGE')
    common.throws(lambda: blockList.addSubnet('', 1, 1), code='ERR_INVALID_ARG_TYPE')
    common.throws(lambda: blockList.addSubnet('', 1, ''), code='ERR_INVALID_ARG_VALUE')

    common.throws(lambda: blockList.addSubnet('1.1.1.1', -1, 'ipv4'), code='ERR_OUT_OF_RANGE')
    common.throws(lambda: blockList.addSubnet('1.1.1.1', 33, 'ipv4'), code='ERR_OUT_OF_RANGE')

    common.throws(lambda: blockList.addSubnet('::', -1, 'ipv6'), code='ERR_OUT_OF_RANGE')
    common.throws(lambda: blockList.addSubnet('::', 129, 'ipv6'), code='ERR_OUT_OF_RANGE')


def test_check_arguments(common):
    blockList = BlockList()
    common.throws(lambda: blockList.check(1), code='ERR_INVALID_ARG_TYPE')
    common.throws(lambda: blockList.check('', 1), code='ERR_INVALID_ARG_TYPE')


def test_inspect():
    blockList = BlockList()
    # util.inspect(blockList, {depth: null}) shows 'rules: []'
    assert 'rules=[]' in repr(blockList)


def test_host_subnet():
    blocklist = BlockList()
    blocklist.addSubnet('1.1.1.1', 32, 'ipv4')

    assert blocklist.check('1.1.1.1')
    assert not blocklist.check('1.1.1.2')
    assert not blocklist.check('2.3.4.5')
