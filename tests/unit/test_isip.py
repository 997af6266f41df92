"""``gnet.net.ip``: ``is_ip``/``is_ipv4``/``is_ipv6``, ``parse_ip``, ``format_ip``.

Ports the cases of Node's ``test/parallel/test-net-isip.js``,
``test-net-isipv4.js`` and ``test-net-isipv6.js`` (every expectation here was
checked against node v20), adds Node's canonical address formatting (what
``SocketAddress.address`` shows), and cross-checks the grammar against the
stdlib ``ipaddress`` wherever the two define the same thing.
"""

import ipaddress

from hypothesis import given, settings, strategies as st

from gnet.net.ip import (MAPPED_BASE, format_ip, from_mapped, is_ip, is_ipv4, is_ipv6,
                     parse_ip, to_mapped)

# (input, isIP) -- test-net-isip.js and the seed docs
ISIP_CASES = [
    ('127.0.0.1', 4), ('x127.0.0.1', 0), ('example.com', 0),
    ('0000:0000:0000:0000:0000:0000:0000:0000', 6),
    ('0000:0000:0000:0000:0000:0000:0000:0000::0000', 0),
    ('1050:0:0:0:5:600:300c:326b', 6), ('2001:252:0:1::2008:6', 6),
    ('2001:dead:beef:1::2008:6', 6), ('2001::', 6), ('2001:dead::', 6),
    ('2001:dead:beef::', 6), ('2001:dead:beef:1::', 6),
    ('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 6),
    (':2001:252:0:1::2008:6:', 0), (':2001:252:0:1::2008:6', 0),
    ('2001:252:0:1::2008:6:', 0), ('2001:252::1::2008:6', 0),
    ('::2001:252:1:2008:6', 6), ('::2001:252:1:1.1.1.1', 6),
    ('::2001:252:1:255.255.255.255', 6), ('::2001:252:1:255.255.255.255.76', 0),
    ('fe80::2008%eth0', 6), ('fe80::2008%eth0.0', 6), ('fe80::2008%eth0@1', 0),
    ('::anything', 0), ('::1', 6), ('::', 6),
    ('0000:0000:0000:0000:0000:0000:12345:0000', 0), ('0', 0), ('', 0),
    # the seed docs
    ('127.000.000.001', 0), ('127.0.0.1/24', 0), ('fhqwhgads', 0),
    # edges checked with node
    ('01.2.3.4', 0), ('0.0.0.00', 0), (' 1.2.3.4', 0), ('1.2.3.4 ', 0),
    ('1.2.3.4\n', 0), ('::1\n', 0), ('1.2.3.4\x00', 0), ('[::1]', 0),
    ('::ffff:1.2.3.4', 6), ('::ffff:01.2.3.4', 0), ('::1.2.3', 0),
    ('1:2:3:4:5:6:7::', 6), ('::2:3:4:5:6:7:8', 6), ('::1:2:3:4:5:6:7:8', 0),
    ('1:2:3:4:5:6:7:8::', 0), ('1:2:3:4:5:6:1.2.3.4', 6),
    ('1:2:3:4:5:6:7:1.2.3.4', 0), ('::a:b:c:d:e:f:1.2.3.4', 0), (':::', 0),
    ('00000::1', 0), ('FFFF::', 6), ('1.2.3.4%eth0', 0), ('fe80::1%', 0),
    ('fe80::1%1', 6), ('fe80::1%e-t', 6), ('fe80::1%e:t', 6), ('fe80::1%e_t', 0),
    ('fe80::1%a%b', 0), ('fe80::1%eth 0', 0), ('::%1', 6), ('1.2.3.4:80', 0),
    ('\u0663.1.1.1', 0), ('0x1.2.3.4', 0),
]

# test-net-isipv4.js
IPV4_VALID = [
    '0.0.0.0', '8.8.8.8', '127.0.0.1', '100.100.100.100', '192.168.0.1',
    '18.101.25.153', '123.23.34.2', '172.26.168.134', '212.58.241.131',
    '128.0.0.0', '23.71.254.72', '223.255.255.255', '192.0.2.235',
    '99.198.122.146', '46.51.197.88', '173.194.34.134',
]
IPV4_INVALID = [
    '.100.100.100.100', '100..100.100.100.', '100.100.100.100.',
    '999.999.999.999', '256.256.256.256', '256.100.100.100.100', '123.123.123',
    'http://123.123.123', '1000.2.3.4', '999.2.3.4', '0000000192.168.0.200',
    '192.168.0.2000000000',
]

# test-net-isipv6.js (a representative subset of its long lists)
IPV6_VALID = [
    '::1', '::', '0:0:0:0:0:0:0:1', '0:0:0:0:0:0:0:0', '2001:DB8:0:0:8:800:200C:417A',
    'FF01:0:0:0:0:0:0:101', '2001:DB8::8:800:200C:417A', 'FF01::101',
    'fe80::217:f2ff:fe07:ed62', '2001:0000:1234:0000:0000:C1C0:ABCD:0876',
    '3ffe:0b00:0000:0000:0001:0000:0000:000a', 'FF02:0000:0000:0000:0000:0000:0000:0001',
    '0000:0000:0000:0000:0000:0000:0000:0001', '2::10', 'ff02::1', 'fe80::', '2002::',
    '2001:db8::', '2001:0db8:1234::', '::ffff:0:0', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6::8',
    '1:2:3:4:5::8', '1:2:3:4::8', '1:2:3::8', '1:2::8', '1::8', '1::2:3:4:5:6:7',
    '1::2:3:4:5:6', '1::2:3', '1::8', '::2:3:4:5:6:7:8', '::8', '1:2:3:4:5:6:7::',
    '1:2:3:4:5:6::', '1:2:3:4::', '1::', '::ffff:192.168.1.26', '::ffff:192.168.1.1',
    '0:0:0:0:0:0:13.1.68.3', '0:0:0:0:0:FFFF:129.144.52.38', '::13.1.68.3',
    '::FFFF:129.144.52.38', 'fe80:0:0:0:204:61ff:254.157.241.86',
    'fe80::204:61ff:254.157.241.86', '::ffff:12.34.56.78', '::ffff:192.0.2.128',
    'fe80::1%eth0', 'a:b:c:d:e:f:0::',
]
IPV6_INVALID = [
    '', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '::1:2:3:4:5:6:7:8', '1::2::3',
    ':::', '1:::2', '12345::6:7:8', '1::5:400.2.3.4', '1::5:260.2.3.4', '1::5:256.2.3.4',
    '1::5:1.256.3.4', '1::5:1.2.256.4', '1::5:1.2.3.256', '1::5:300.2.3.4',
    '::ffff:2.3.4', '::ffff:257.1.2.3', '1.2.3.4', '1.2.3.4:1111:2222:3333:4444::5555',
    'fe80:0000:0000:0000:0204:61ff:254.157.241.086', 'XXXX:XXXX:XXXX:XXXX:XXXX:XXXX:1.2.3.4',
    '1111:2222:3333:4444:5555:6666:00.00.00.00', ':', '1:2:3:4:5:6:7:8:', ':1:2:3:4:5:6:7:8',
    '::ffff:1.2.3.4:', 'ldkfj', '2001::FFD3::57ab', '2001:db8:85a3::8a2e:37023:7334',
    '2001:db8:85a3::8a2e:370k:7334', '1:2:3:4:5:6:7:8:9', '1::2::3', '1:::3:4:5',
    '1:2:3::4:5:6:7:8:9', '::ffff:2.3.4.5%eth0 ',
]

# (address text, what Node's SocketAddress shows) -- libuv's inet_ntop
FORMAT_CASES = [
    ('::', '::'), ('::1', '::1'), ('1::', '1::'), ('0:0:0:0:0:0:0:1', '::1'),
    ('FE80::1%eth0', 'fe80::1'), ('::ffff:7b7b:7b7b', '::ffff:123.123.123.123'),
    ('::ffff:0:1', '::ffff:0.0.0.1'), ('0:0:0:0:0:ffff:0:0', '::ffff:0.0.0.0'),
    ('::2:3', '::0.2.0.3'), ('::1.2.3.4', '::1.2.3.4'), ('::2:3:4', '::2:3:4'),
    ('0:0:0:0:0:1:0:0', '::1:0:0'), ('0:0:0:0:1:ffff:1:1', '::1:ffff:1:1'),
    ('1:0:0:1:0:0:0:1', '1:0:0:1::1'), ('1:0:0:0:1:0:0:1', '1::1:0:0:1'),
    ('1:0:0:1:1:0:0:1', '1::1:1:0:0:1'), ('1:0:1:1:1:1:1:1', '1:0:1:1:1:1:1:1'),
    ('8592:757c:efae:4e45:0:0:0:0', '8592:757c:efae:4e45::'),
    ('2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'),
]


def _mismatches(cases, function):
    """The (input, expected, got) triples where ``function`` disagrees."""
    return [(case, expected, function(case)) for case, expected in cases
            if function(case) != expected]


def test_is_ip_cases():
    assert _mismatches(ISIP_CASES, is_ip) == []
    assert _mismatches([(c, e == 4) for c, e in ISIP_CASES], is_ipv4) == []
    assert _mismatches([(c, e == 6) for c, e in ISIP_CASES], is_ipv6) == []


def test_is_ipv4_cases():
    assert _mismatches([(c, True) for c in IPV4_VALID], is_ipv4) == []
    assert _mismatches([(c, False) for c in IPV4_INVALID], is_ipv4) == []
    assert all(is_ip(c) == 4 for c in IPV4_VALID)


def test_is_ipv6_cases():
    assert _mismatches([(c, True) for c in IPV6_VALID], is_ipv6) == []
    assert _mismatches([(c, False) for c in IPV6_INVALID], is_ipv6) == []
    assert all(is_ip(c) == 6 for c in IPV6_VALID)


def test_results_are_exact_types():
    assert is_ipv4('1.2.3.4') is True and is_ipv6('1.2.3.4') is False
    assert type(is_ip('::1')) is int


class _ToString:
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


class _Unprintable:
    def __str__(self):
        raise RuntimeError('no')


_CYCLIC: list = []
_CYCLIC.append(_CYCLIC)

JS_STRING_CASES = [
    (None, 0), (123, 0), (1.5, 0), (True, 0), ({}, 0), ([], 0), (float('nan'), 0),
    (0x7f000001, 0),
    # JS converts with String(): an object's toString, an array's join
    (_ToString('::2001:252:1:255.255.255.255'), 6), (_ToString('127.0.0.1'), 4),
    (_ToString('bla'), 0), (['1.2.3.4'], 4), (['::1'], 6), (['1.2.3.4', '5'], 0),
    ([None], 0), (b'1.2.3.4', 4), (bytearray(b'::1'), 6), (_Unprintable(), 0),
    ([[['::1']]], 6), (_CYCLIC, 0),
]


def test_non_strings_are_converted_like_js():
    assert _mismatches(JS_STRING_CASES, is_ip) == []


def test_format_ip_matches_node():
    assert _mismatches(FORMAT_CASES, lambda text: format_ip(*parse_ip(text))) == []
    assert all(parse_ip(text)[0] == 6 for text, _ in FORMAT_CASES)


def test_parse_ip():
    assert parse_ip('1.2.3.4') == (4, 0x01020304)
    assert parse_ip('::ffff:1.2.3.4') == (6, MAPPED_BASE | 0x01020304)
    assert parse_ip('fe80::1%eth0') == (6, (0xfe80 << 112) | 1)
    assert parse_ip('1::') == (6, 1 << 112)
    for bad in ('127.000.000.001', '1.2.3.4/24', 'fe80::1%', '', None, 16909060):
        assert parse_ip(bad) is None


def test_mapping_helpers():
    assert to_mapped(0x7b7b7b7b) == parse_ip('::ffff:123.123.123.123')[1]
    assert from_mapped(parse_ip('::ffff:7b7b:7b7b')[1]) == 0x7b7b7b7b
    assert from_mapped(parse_ip('::1.2.3.4')[1]) is None  # IPv4-compatible is not mapped
    assert from_mapped(parse_ip('::1:ffff:1.2.3.4')[1]) is None


# --- properties ---------------------------------------------------------------

@settings(max_examples=300)
@given(st.integers(0, 2 ** 32 - 1))
def test_every_ipv4_text_from_ipaddress_round_trips(value):
    text = str(ipaddress.IPv4Address(value))
    assert is_ip(text) == 4
    assert parse_ip(text) == (4, value)
    assert format_ip(4, value) == text


_V6_VALUES = st.one_of(
    st.integers(0, 2 ** 128 - 1),
    st.lists(st.sampled_from([0, 0, 0, 1, 0xffff, 0x1234]), min_size=8, max_size=8).map(
        lambda words: sum(w << (16 * (7 - i)) for i, w in enumerate(words))),
)


@settings(max_examples=300)
@given(_V6_VALUES)
def test_every_ipv6_text_from_ipaddress_round_trips(value):
    address = ipaddress.IPv6Address(value)
    for text in (address.compressed, address.exploded, address.exploded.upper()):
        assert is_ip(text) == 6
        assert parse_ip(text) == (6, value)
    shown = format_ip(6, value)
    assert parse_ip(shown) == (6, value)
    if '.' in shown:  # libuv keeps a dotted tail for ::a.b.c.d and ::ffff:a.b.c.d
        head = shown.rsplit(':', 1)[0]
        assert head in ('', ':', '::ffff')
        assert shown.rsplit(':', 1)[1] == str(ipaddress.IPv4Address(value & 0xffffffff))
    else:  # otherwise it is RFC 5952 text, as ipaddress writes it
        assert shown == address.compressed


_PIECES = ['0', '1', '00', '0000', '00000', 'ff', 'FFFF', '12345', 'abcd', 'g',
           '255', '256', '01', '.', ':', '::', '1.2.3.4', '01.2.3.4', '1.2.3', ' ']


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map(''.join))
def test_agrees_with_ipaddress_without_zone_ids(text):
    def accepted(cls):
        try:
            cls(text)
            return True
        except ValueError:
            return False

    v4, v6 = accepted(ipaddress.IPv4Address), accepted(ipaddress.IPv6Address)
    assert is_ip(text) == (4 if v4 else 6 if v6 else 0)


@settings(max_examples=200)
@given(_V6_VALUES, st.text('abcXYZ019-.:', min_size=1, max_size=6),
       st.sampled_from(['', '_', '@', ' ', '%', '/']))
def test_zone_ids_use_nodes_character_set(value, zone, bad):
    text = '%s%%%s%s' % (ipaddress.IPv6Address(value).compressed, zone, bad)
    assert is_ip(text) == (6 if not bad else 0)


@settings(max_examples=200)
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                 st.binary(), st.lists(st.text(max_size=8), max_size=3)))
def test_never_raises(value):
    assert is_ip(value) in (0, 4, 6)
    assert isinstance(is_ipv4(value), bool) and isinstance(is_ipv6(value), bool)
