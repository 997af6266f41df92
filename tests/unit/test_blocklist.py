"""``gnet.net.blocklist.BlockList``: Node's ``net.BlockList`` with an interval index.

Ports Node's ``test/parallel/test-blocklist.js`` (every assertion of it
re-run against node v20 first) and the intent of ``test-blocklist-clone.js``
(a cloned list checks like the original; in Python a copy is independent),
the seed documentation's example, Node 22's ``isBlockList``/``toJSON``/
``fromJSON``, and the cross-family cases checked with node v20.  Property
tests compare ``check`` with a brute-force transcription of Node's C++
matching rules (``node_sockaddr.cc``) over random rule sets.
"""

import copy
import pickle
import random

import pytest
from hypothesis import given, settings, strategies as st
from zope.interface.verify import verifyObject

from gnet.net import blocklist as blocklist_module
from gnet import errors
from gnet.net.blocklist import BlockList, _IntervalSet
from gnet.interfaces import IBlockList
from gnet.net.ip import MAPPED_BASE, format_ip
from gnet.net.socketaddress import SocketAddress


def sa(address, family=None):
    family = family or ('ipv6' if ':' in address else 'ipv4')
    return SocketAddress(address=address, family=family)


def codes_of(call, cases):
    """The error code raised by ``call(case)`` for each case (None: no error)."""
    out = []
    for case in cases:
        try:
            call(case)
            out.append(None)
        except errors.NodeError as exc:
            out.append(exc.code)
    return out


# --- the seed documentation's example, verbatim -------------------------------

def test_seed_example():
    blockList = BlockList()
    blockList.addAddress('123.123.123.123')
    blockList.addRange('10.0.0.1', '10.0.0.10')
    blockList.addSubnet('8592:757c:efae:4e45::', 64, 'ipv6')

    assert blockList.check('123.123.123.123') is True
    assert blockList.check('10.0.0.3') is True
    assert blockList.check('222.111.111.222') is False

    # IPv6 notation for IPv4 addresses works:
    assert blockList.check('::ffff:7b7b:7b7b', 'ipv6') is True
    assert blockList.check('::ffff:123.123.123.123', 'ipv6') is True


# --- test-blocklist.js ----------------------------------------------------------

def test_argument_types():
    bl = BlockList()
    not_strings = [1, [], {}, None, 1.5]
    assert set(codes_of(bl.add_address, not_strings)) == {'ERR_INVALID_ARG_TYPE'}
    assert set(codes_of(lambda f: bl.add_address('1.1.1.1', f), [1, [], {}, 1.5])) == {
        'ERR_INVALID_ARG_TYPE'}
    assert codes_of(lambda f: bl.add_address('1.1.1.1', f), ['foo']) == ['ERR_INVALID_ARG_VALUE']
    assert set(codes_of(lambda v: bl.add_range(v, '1.1.1.2'), not_strings)) == {
        'ERR_INVALID_ARG_TYPE'}
    assert set(codes_of(lambda v: bl.add_range('1.1.1.1', v), not_strings)) == {
        'ERR_INVALID_ARG_TYPE'}
    assert set(codes_of(lambda f: bl.add_range('1.1.1.1', '1.1.1.2', f), [1, [], {}])) == {
        'ERR_INVALID_ARG_TYPE'}
    assert codes_of(lambda f: bl.add_range('1.1.1.1', '1.1.1.2', f), ['foo']) == [
        'ERR_INVALID_ARG_VALUE']
    assert bl.rules == []


def test_addresses():
    for use_socket_addresses in (False, True):
        bl = BlockList()
        if use_socket_addresses:
            bl.add_address(sa('1.1.1.1'))
            bl.add_address(sa('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17'))
            assert bl.check(sa('1.1.1.1'))
            assert bl.check(sa('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17'))
        else:
            bl.add_address('1.1.1.1')
            bl.add_address('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17', 'ipv6')
        bl.add_address('::ffff:1.1.1.2', 'ipv6')

        assert bl.check('1.1.1.1')
        assert not bl.check('1.1.1.1', 'ipv6')
        assert not bl.check('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17')
        assert bl.check('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17', 'ipv6')
        assert bl.check('::ffff:1.1.1.1', 'ipv6')
        assert bl.check('::ffff:1.1.1.1', 'IPV6')
        assert bl.check('1.1.1.2')
        assert bl.check(sa('1.1.1.2'))
        assert not bl.check('1.2.3.4')
        assert not bl.check('::1', 'ipv6')


def test_ranges():
    for use_socket_addresses in (False, True):
        bl = BlockList()
        if use_socket_addresses:
            bl.add_range(sa('1.1.1.1'), sa('1.1.1.10'))
            bl.add_range(sa('::1'), sa('::f'))
        else:
            bl.add_range('1.1.1.1', '1.1.1.10')
            bl.add_range('::1', '::f', 'ipv6')
        assert not bl.check('1.1.1.0')
        assert all(bl.check('1.1.1.%d' % n) for n in range(1, 11))
        assert not bl.check('1.1.1.11')
        assert not bl.check('::0', 'ipv6')
        assert all(bl.check('::%x' % n, 'ipv6') for n in range(1, 16))
        assert not bl.check('::10', 'ipv6')


def test_subnets():
    for use_socket_addresses in (False, True):
        bl = BlockList()
        if use_socket_addresses:
            bl.add_subnet(sa('1.1.1.0'), 16)
            bl.add_subnet(sa('8592:757c:efae:4e45::'), 64)
        else:
            bl.add_subnet('1.1.1.0', 16)
            bl.add_subnet('8592:757c:efae:4e45::', 64, 'ipv6')
        assert bl.check('1.1.0.1')
        assert bl.check('1.1.1.1')
        assert not bl.check('1.2.0.1')
        assert bl.check('::ffff:1.1.0.1', 'ipv6')
        assert bl.check('8592:757c:efae:4e45:f::', 'ipv6')
        assert bl.check('8592:757c:efae:4e45::f', 'ipv6')
        assert not bl.check('8592:757c:efae:4f45::f', 'ipv6')


def test_rules_are_nodes_strings_newest_first():
    bl = BlockList()
    bl.add_address('1.1.1.1')
    bl.add_range('10.0.0.1', '10.0.0.10')
    bl.add_subnet('8592:757c:efae:4e45::', 64, 'IpV6')  # family is case-insensitive
    assert bl.rules == [
        'Subnet: IPv6 8592:757c:efae:4e45::/64',
        'Range: IPv4 10.0.0.1-10.0.0.10',
        'Address: IPv4 1.1.1.1',
    ]
    assert bl.check('1.1.1.1')
    assert bl.check('10.0.0.5')
    assert bl.check('::ffff:10.0.0.5', 'ipv6')
    assert bl.check('8592:757c:efae:4e45::f', 'ipv6')
    assert not bl.check('123.123.123.123')
    assert not bl.check('8592:757c:efaf:4e45:fb5d:d62a:0d00:8e17', 'ipv6')
    assert not bl.check('::ffff:123.123.123.123', 'ipv6')


def test_rules_show_canonical_addresses():
    bl = BlockList()
    bl.add_address('::ffff:7b7b:7b7b', 'ipv6')
    bl.add_address('FE80::1%eth0', 'IPv6')
    bl.add_address('0:0:0:0:0:0:0:1', 'ipv6')
    bl.add_subnet('10.1.2.3', 8)  # the network is shown as given, not masked
    bl.add_subnet('2001:db8::1', 33.0, 'ipv6')  # an integral float is an integer
    assert bl.rules == ['Subnet: IPv6 2001:db8::1/33', 'Subnet: IPv4 10.1.2.3/8',
                        'Address: IPv6 ::1', 'Address: IPv6 fe80::1',
                        'Address: IPv6 ::ffff:123.123.123.123']
    assert bl.rules is not bl.rules  # a fresh list each time, as in Node


def test_non_aligned_prefixes():
    bl = BlockList()
    bl.add_subnet('10.0.0.0', 27)
    bl.add_subnet('8592:757c:efaf::', 51, 'ipv6')
    assert all(bl.check('10.0.0.%d' % n) for n in range(32))
    assert not bl.check('10.0.0.32')
    assert bl.check('8592:757c:efaf:0:0:0:0:0', 'ipv6')
    assert bl.check('8592:757c:efaf:1fff:ffff:ffff:ffff:ffff', 'ipv6')
    assert not bl.check('8592:757c:efaf:2fff:ffff:ffff:ffff:ffff', 'ipv6')


def test_full_length_prefixes():  # nodejs/node#43360
    bl = BlockList()
    bl.add_subnet('1.1.1.1', 32, 'ipv4')
    assert [bl.check('1.1.1.%d' % n) for n in range(4)] == [False, True, False, False]
    bl.add_subnet('2001:4860:4860::8888', 128, 'ipv6')
    assert bl.check('2001:4860:4860::8888', 'ipv6')
    assert not bl.check('2001:4860:4860::8887', 'ipv6')
    assert not bl.check('2001:4860:4860::8889', 'ipv6')


def test_start_after_end():
    bl = BlockList()
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE) as info:
        bl.add_range('1.1.1.2', '1.1.1.1')
    assert "The argument 'start' must come before end" in str(info.value)
    assert isinstance(info.value, TypeError) and info.value.name == 'TypeError'
    assert codes_of(lambda args: bl.add_range(*args), [
        ('::2', '::1', 'ipv6'), (sa('::ffff:3.0.0.0'), sa('2.0.0.0')),
        (sa('3.0.0.0'), sa('::ffff:2.0.0.0'))]) == ['ERR_INVALID_ARG_VALUE'] * 3
    bl.add_range('10.0.0.10', '10.0.0.10')  # a one-address range is fine
    assert bl.rules == ['Range: IPv4 10.0.0.10-10.0.0.10']


def test_subnet_argument_errors():
    bl = BlockList()
    calls = [
        lambda: bl.add_subnet(1, 8),
        lambda: bl.add_subnet('1.1.1.1', ''),
        lambda: bl.add_subnet('1.1.1.1', '8'),
        lambda: bl.add_subnet('1.1.1.1', None),
        lambda: bl.add_subnet('1.1.1.1', True),
        lambda: bl.add_subnet('1.1.1.1', float('nan')),
        lambda: bl.add_subnet('1.1.1.1', float('inf')),
        lambda: bl.add_subnet('1.1.1.1', 1.5),
        lambda: bl.add_subnet('', 1, 1),
        lambda: bl.add_subnet('', 1, ''),
        lambda: bl.add_subnet('1.1.1.1', -1, 'ipv4'),
        lambda: bl.add_subnet('1.1.1.1', 33, 'ipv4'),
        lambda: bl.add_subnet('::', -1, 'ipv6'),
        lambda: bl.add_subnet('::', 129, 'ipv6'),
        lambda: bl.add_subnet('1.1.1', 99),           # the address is checked first
        lambda: bl.add_subnet('1.1.1.1', 99, 'ipv5'),  # and the family before it
        lambda: bl.add_subnet(sa('1.0.0.0'), 33, 'ipv6'),  # a SocketAddress's family wins
    ]
    assert codes_of(lambda call: call(), calls) == [
        'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE',
        'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE',
        'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE',
        'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE',
        'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE',
        'ERR_INVALID_ADDRESS', 'ERR_INVALID_ARG_VALUE', 'ERR_OUT_OF_RANGE',
    ]
    with pytest.raises(ValueError, match=r'must be >= 0 && <= 32\. Received 33'):
        bl.add_subnet('1.1.1.1', 33)
    bl.add_subnet('::1', 33, 'ipv6')
    assert bl.rules == ['Subnet: IPv6 ::1/33']


def test_unparsable_addresses_raise_invalid_address():
    bl = BlockList()
    bad = ['1.1.1', '01.2.3.4', '010.2.3.4', '0x1.2.3.4', ' 1.2.3.4', '1.2.3.4 ', '', '1',
           '::1', 'garbage', '1.2.3.4/32']
    assert set(codes_of(bl.add_address, bad)) == {'ERR_INVALID_ADDRESS'}
    assert codes_of(lambda a: bl.add_address(a, 'ipv6'), ['1.2.3.4', '::1%']) == [
        'ERR_INVALID_ADDRESS', None]  # anything after '%' is a zone id, as in libuv
    assert codes_of(lambda a: bl.add_range(*a), [('x', '10.0.0.1'), ('10.0.0.1', 'y')]) == [
        'ERR_INVALID_ADDRESS', 'ERR_INVALID_ADDRESS']
    with pytest.raises(errors.NodeError) as info:
        bl.add_address('1.1.1')
    assert info.value.name == 'Error'


def test_check_argument_errors_and_malformed_addresses():
    bl = BlockList()
    bl.add_address('1.1.1.1')
    bl.add_subnet('::', 0, 'ipv6')
    assert codes_of(bl.check, [1, None, {}, b'1.1.1.1']) == ['ERR_INVALID_ARG_TYPE'] * 4
    assert codes_of(lambda f: bl.check('1.1.1.1', f), [1, 6, []]) == ['ERR_INVALID_ARG_TYPE'] * 3
    # malformed addresses and unknown families are simply not blocked
    for address, family in [('1.1.1.1/32', 'ipv4'), ('garbage', 'ipv4'), ('1.1.1', 'ipv4'),
                            ('1.1.1.1', 'ipv9'), ('', 'ipv4'), ('::1', 'ipv4'),
                            ('1.1.1.1', 'ipv6'), ('::g', 'ipv6')]:
        assert bl.check(address, family) is False, (address, family)
    assert bl.check('1.1.1.1', None) is True  # None is JS undefined: the default family
    assert bl.check(sa('1.1.1.1'), 5) is True  # a SocketAddress's own family wins


def test_socket_address_family_wins():
    bl = BlockList()
    bl.add_address(sa('::ffff:2.0.0.0'), 'bogus')
    bl.add_range(sa('1.0.0.0'), '::ffff:2.0.0.0', 'ipv6')
    assert bl.rules == ['Range: IPv4 1.0.0.0-::ffff:2.0.0.0', 'Address: IPv6 ::ffff:2.0.0.0']
    assert bl.check('1.5.0.0') and bl.check('::ffff:1.5.0.0', 'ipv6')
    assert not bl.check('3.0.0.0')


# --- IPv4 / IPv6 matching, as node v20 answers ------------------------------------

def _one_rule(kind, *args):
    bl = BlockList()
    getattr(bl, kind)(*args)
    return bl


@pytest.mark.parametrize('rule, checks', [
    (('add_subnet', '0.0.0.0', 0), [('1.2.3.4', 'ipv4', True), ('::ffff:1.2.3.4', 'ipv6', True),
                                    ('::1', 'ipv6', False)]),
    (('add_subnet', '1.2.0.0', 16), [('::ffff:1.2.3.4', 'ipv6', True),
                                     ('::ffff:1.3.3.4', 'ipv6', False),
                                     ('::1.2.3.4', 'ipv6', False)]),
    (('add_subnet', '::', 0, 'ipv6'), [('1.2.3.4', 'ipv4', True), ('::1', 'ipv6', True)]),
    (('add_subnet', '::', 64, 'ipv6'), [('1.2.3.4', 'ipv4', True)]),
    (('add_subnet', '::ffff:0:0', 95, 'ipv6'), [('1.2.3.4', 'ipv4', True)]),
    (('add_subnet', '::ffff:1.2.0.0', 100, 'ipv6'), [('1.255.3.4', 'ipv4', True),
                                                     ('16.0.0.0', 'ipv4', False)]),
    (('add_subnet', '1::ffff:1.2.0.0', 112, 'ipv6'), [('1.2.3.4', 'ipv4', False)]),
    (('add_range', '::', 'ffff::', 'ipv6'), [('1.2.3.4', 'ipv4', False),
                                             ('::ffff:1.2.3.4', 'ipv6', True)]),
    (('add_range', '::ffff:1.0.0.0', '::ffff:2.0.0.0', 'ipv6'), [('1.2.3.4', 'ipv4', True)]),
    (('add_range', '::ffff:1.0.0.0', '::1:0:0:0', 'ipv6'), [('1.2.3.4', 'ipv4', False),
                                                            ('::ffff:1.2.3.4', 'ipv6', True)]),
    (('add_range', '1.0.0.0', '2.0.0.0'), [('::ffff:1.2.3.4', 'ipv6', True),
                                           ('::1.2.3.4', 'ipv6', False)]),
    (('add_address', '::ffff:1.2.3.4', 'ipv6'), [('1.2.3.4', 'ipv4', True),
                                                 ('::ffff:1.2.3.4%x', 'ipv6', True)]),
    (('add_address', '::1.2.3.4', 'ipv6'), [('1.2.3.4', 'ipv4', False)]),
    (('add_subnet', 'fe80::1%eth0', 64, 'ipv6'), [('fe80::5', 'ipv6', True)]),
])
def test_mapped_addresses_match_like_node(rule, checks):
    bl = _one_rule(*rule)
    assert [bl.check(a, f) for a, f, _ in checks] == [expected for _, _, expected in checks]


@pytest.mark.parametrize('start, end, rule, checks', [
    ('1.0.0.0', '::ffff:2.0.0.0', 'Range: IPv4 1.0.0.0-::ffff:2.0.0.0',
     [('1.5.0.0', True), ('::ffff:1.5.0.0', True), ('3.0.0.0', False)]),
    ('1.0.0.0', '::1:0:0:0', 'Range: IPv4 1.0.0.0-::1:0:0:0',
     [('1.5.0.0', False), ('::ffff:1.5.0.0', True)]),
    ('1.0.0.0', '::1', 'Range: IPv4 1.0.0.0-::1', [('1.5.0.0', False), ('::ffff:1.5.0.0', False)]),
    ('::1', '1.0.0.0', 'Range: IPv6 ::1-1.0.0.0', [('0.5.0.0', False), ('::ffff:0.5.0.0', True)]),
    ('::1', '255.255.255.255', 'Range: IPv6 ::1-255.255.255.255',
     [('1.5.0.0', False), ('::ffff:1.5.0.0', True), ('::2', False)]),
    ('::ffff:0.0.0.1', '1.0.0.0', 'Range: IPv6 ::ffff:0.0.0.1-1.0.0.0',
     [('0.5.0.0', True), ('::ffff:0.5.0.0', True)]),
    ('3.0.0.0', 'ffff::', 'Range: IPv4 3.0.0.0-ffff::',
     [('4.0.0.0', False), ('::ffff:4.0.0.0', True), ('::ffff:1.0.0.0', False),
      ('::1:0:0:0', False)]),
    ('ffff::', '3.0.0.0', 'Range: IPv6 ffff::-3.0.0.0', [('1.0.0.0', False),
                                                         ('::ffff:1.0.0.0', False)]),
])
def test_mixed_family_ranges_match_like_node(start, end, rule, checks):
    bl = BlockList()
    bl.add_range(sa(start), sa(end))
    assert bl.rules == [rule]
    assert [bl.check(sa(a)) for a, _ in checks] == [expected for _, expected in checks]


# --- Node 22: isBlockList, toJSON, fromJSON -----------------------------------------

def test_is_block_list():
    assert BlockList.is_block_list(BlockList()) is True
    assert BlockList.isBlockList(BlockList()) is True
    for value in (None, {}, [], 'BlockList', BlockList):
        assert BlockList.is_block_list(value) is False


def test_to_json_from_json_round_trip():
    bl = BlockList()
    bl.add_address('123.123.123.123')
    bl.add_range('10.0.0.1', '10.0.0.10')
    bl.add_subnet('8592:757c:efae:4e45::', 64, 'ipv6')
    bl.add_address('::ffff:1.2.3.4', 'ipv6')  # a dotted tail survives the round trip
    bl.add_range(sa('1.0.0.0'), sa('::ffff:2.0.0.0'))  # so does a mixed-family range
    assert bl.to_json() == bl.rules
    again = BlockList().from_json(bl.to_json())
    assert again.rules == bl.rules
    import json
    from_text = BlockList()
    assert from_text.fromJSON(json.dumps(bl.toJSON())) is from_text
    assert from_text.rules == bl.rules
    for address, family in [('10.0.0.5', 'ipv4'), ('1.2.3.4', 'ipv4'), ('1.5.0.0', 'ipv4'),
                            ('8592:757c:efae:4e45::1', 'ipv6'), ('10.0.0.11', 'ipv4')]:
        assert from_text.check(address, family) == bl.check(address, family)


def test_from_json_reads_nodes_documented_examples():
    bl = BlockList().from_json([
        'Subnet: IPv4 192.168.1.0/24',
        'Address: IPv4 10.0.0.5',
        'Range: IPv4 192.168.2.1-192.168.2.10',
        'Subnet: IPv6 2001:0db8:85a3:0000:0000:8a2e:0370:7334/64',
        'Address: IPv6 2001:0db8:85a3:0000:0000:8a2e:0370:7334',
        'Range: IPv6 2001:db8:1234::1-2001:db8:1234::10',
    ])
    assert bl.rules == [
        'Subnet: IPv4 192.168.1.0/24',
        'Address: IPv4 10.0.0.5',
        'Range: IPv4 192.168.2.1-192.168.2.10',
        'Subnet: IPv6 2001:db8:85a3::8a2e:370:7334/64',
        'Address: IPv6 2001:db8:85a3::8a2e:370:7334',
        'Range: IPv6 2001:db8:1234::1-2001:db8:1234::10',
    ]
    assert bl.check('192.168.1.77') and bl.check('192.168.2.10')
    assert bl.check('2001:db8:85a3::1', 'ipv6') and bl.check('2001:db8:1234::f', 'ipv6')
    assert not bl.check('192.168.2.11')


def test_from_json_errors_add_nothing():
    bl = BlockList()
    bl.add_address('1.1.1.1')
    bad_data = [
        42, None, {'rules': []}, ['Address: IPv4 1.2.3.4', 5],  # not string / string[]
        '{"not": "a list"}',
        'not json',
        ['Address: IPv4 1.2.3.4', 'Blocked: everything'],  # a string that is no rule
        ['Address: IPv6 1.2.3.4'], ['Address: IPv4 1.2.3.4.5'], ['Range: IPv4 1.2.3.4'],
        ['Subnet: IPv4 1.2.3.4'], ['Address: IPv4 1.2.3.4 '],
        ['Subnet: IPv4 1.2.3.4/33'],  # a rule the add methods refuse
        ['Range: IPv4 1.2.3.5-1.2.3.4'],
    ]
    assert codes_of(bl.from_json, bad_data) == (
        ['ERR_INVALID_ARG_TYPE'] * 5 + ['ERR_INVALID_ARG_VALUE'] * 7 +
        ['ERR_OUT_OF_RANGE', 'ERR_INVALID_ARG_VALUE'])
    assert bl.rules == ['Address: IPv4 1.1.1.1']


# --- Python protocol: interface, aliases, copies (test-blocklist-clone.js) ----------

def test_implements_interface_and_node_names():
    bl = BlockList()
    assert verifyObject(IBlockList, bl)
    for name in ('addAddress', 'addRange', 'addSubnet', 'isBlockList', 'toJSON', 'fromJSON'):
        assert callable(getattr(bl, name)), name
    assert repr(bl) == 'BlockList(rules=[])'


def test_copies_check_like_the_original_and_are_independent():
    bl = BlockList()
    bl.add_address('123.123.123.123')
    for clone in (copy.copy(bl), copy.deepcopy(bl), pickle.loads(pickle.dumps(bl))):
        assert clone is not bl and BlockList.is_block_list(clone)
        assert clone.check('123.123.123.123')
        assert not clone.check('123.123.123.124')
        clone.add_address('123.123.123.124')
        assert clone.check('123.123.123.124')
        assert not bl.check('123.123.123.124')
        assert clone.rules == ['Address: IPv4 123.123.123.124', 'Address: IPv4 123.123.123.123']


# --- properties: the index answers as Node's rule-by-rule scan -------------------------

def _v6(point):
    return point[1] if point[0] == 6 else MAPPED_BASE | point[1]


def _compare(a, b):
    """Node's SocketAddress::compare: -1/0/1, or None when not comparable."""
    if a[0] != b[0] and _v6(a if a[0] == 6 else b) >> 32 != 0xffff:
        return None
    x, y = _v6(a), _v6(b)
    return (x > y) - (x < y)


def _in_network(address, network, prefix):
    if network[0] == 4:
        if address[0] == 6 and address[1] >> 32 != 0xffff:
            return False
        shift = 32 - prefix
        return (address[1] & 0xffffffff) >> shift == network[1] >> shift
    shift = 128 - prefix
    return _v6(address) >> shift == network[1] >> shift


def _reference_match(rule, address):
    kind = rule[0]
    if kind == 'address':
        return _compare(address, rule[1]) == 0
    if kind == 'range':
        return _compare(address, rule[1]) in (0, 1) and _compare(address, rule[2]) in (0, -1)
    return _in_network(address, rule[1], rule[2])


_V4_POOL = st.one_of(st.integers(0x0a000000, 0x0a000020), st.sampled_from([0, 1, 2 ** 32 - 1]),
                     st.integers(0, 2 ** 32 - 1))
_V6_POOL = st.one_of(
    _V4_POOL.map(lambda v: MAPPED_BASE | v),
    _V4_POOL,  # IPv4-compatible ::a.b.c.d, which is *not* mapped
    st.sampled_from([0, 1, MAPPED_BASE - 1, MAPPED_BASE + (1 << 32), 1 << 96, 2 ** 128 - 1]),
    st.integers(0, 2 ** 128 - 1),
    st.integers(0, 0x40).map(lambda v: (0x8592757cefae4e45 << 64) | v),
)
_POINTS = st.one_of(st.tuples(st.just(4), _V4_POOL), st.tuples(st.just(6), _V6_POOL))
_RULES = st.one_of(
    st.tuples(st.just('address'), _POINTS),
    st.tuples(st.just('range'), _POINTS, _POINTS),
    _POINTS.flatmap(lambda p: st.tuples(st.just('subnet'), st.just(p),
                                        st.integers(0, 32 if p[0] == 4 else 128))),
)


def _point_sa(point):
    return SocketAddress(address=format_ip(*point), family='ipv%d' % point[0])


def _add(bl, rule, as_strings):
    kind, first = rule[0], rule[1]
    family = 'ipv%d' % first[0]
    if kind == 'address':
        bl.add_address(format_ip(*first) if as_strings else _point_sa(first), family)
    elif kind == 'subnet':
        bl.add_subnet(format_ip(*first) if as_strings else _point_sa(first), rule[2], family)
    elif as_strings and rule[2][0] == first[0]:
        bl.add_range(format_ip(*first), format_ip(*rule[2]), family)
    else:
        bl.add_range(_point_sa(first), _point_sa(rule[2]))


@settings(max_examples=250, deadline=None)
@given(st.lists(_RULES, max_size=8), st.lists(_POINTS, max_size=12), st.booleans())
def test_check_agrees_with_nodes_rule_by_rule_scan(rules, queries, as_strings):
    bl = BlockList()
    accepted = []
    queries = queries + [p for rule in rules for p in rule[1:] if isinstance(p, tuple)]
    for rule in rules:
        refused = rule[0] == 'range' and _compare(rule[1], rule[2]) == 1
        if refused:
            with pytest.raises(errors.ERR_INVALID_ARG_VALUE):
                _add(bl, rule, as_strings)
            continue
        _add(bl, rule, as_strings)
        accepted.append(rule)
        for query in queries:  # check after every add: the lazy index must keep up
            expected = any(_reference_match(r, query) for r in accepted)
            assert bl.check(format_ip(*query), 'ipv%d' % query[0]) is expected
            assert bl.check(_point_sa(query)) is expected
    assert len(bl.rules) == len(accepted)


def test_bulk_adds_agree_with_the_scan():
    """Hundreds of rules added before the first check take the rebuild path."""
    rng = random.Random(20240611)
    rules, queries = [], []
    for _ in range(400):
        family = rng.choice((4, 6))
        base = rng.randrange(2 ** 32) if family == 4 else rng.choice(
            [MAPPED_BASE | rng.randrange(2 ** 32), rng.randrange(2 ** 128)])
        point = (family, base)
        kind = rng.choice(('address', 'range', 'subnet'))
        if kind == 'range':
            rules.append(('range', point, (family, base + rng.randrange(2 ** 20))))
            if rules[-1][2][1] >= 2 ** (32 if family == 4 else 128):
                rules.pop()
        elif kind == 'subnet':
            rules.append(('subnet', point, rng.randrange(8, 33 if family == 4 else 129)))
        else:
            rules.append(('address', point))
        queries += [point, (family, base + rng.randrange(2 ** 21))]
    queries = [q for q in queries if q[1] < 2 ** (32 if q[0] == 4 else 128)]
    queries += [(4, q[1] - MAPPED_BASE) for q in queries if q[0] == 6 and q[1] >> 32 == 0xffff]
    bl = BlockList()
    for rule in rules:
        _add(bl, rule, as_strings=False)
    got = [bl.check(_point_sa(q)) for q in queries]
    assert got == [any(_reference_match(r, q) for r in rules) for q in queries]
    assert any(got) and not all(got)


@pytest.mark.parametrize('limit', [0, 3, 1000])
@settings(max_examples=60, deadline=None)
@given(spans=st.lists(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=10),
                      max_size=5))
def test_interval_set_is_a_set_of_integers(limit, spans):
    original = blocklist_module.INSERT_BATCH_LIMIT
    blocklist_module.INSERT_BATCH_LIMIT = limit  # exercise insertion and rebuild alike
    try:
        intervals, members = _IntervalSet(), set()
        for batch in spans:
            for low, width in batch:
                intervals.add(low, low + width)
                members.update(range(low, low + width + 1))
            assert [v in intervals for v in range(-1, 72)] == [v in members for v in range(-1, 72)]
            # merged: one interval per maximal run of consecutive members
            runs = sum(1 for v in members if v - 1 not in members)
            assert len(intervals) == runs
    finally:
        blocklist_module.INSERT_BATCH_LIMIT = original
