"""``gnet.net.socketaddress.SocketAddress``: Node's ``net.SocketAddress``.

Ports Node's ``test/parallel/test-socketaddress.js`` (the constructor cases,
re-run against node v20, and Node 22's ``SocketAddress.parse`` cases, whose
answers were checked against node v20's WHATWG ``URL`` parser, on which
Node 22 builds ``parse``), plus validation order and the deviations the
module docstring lists.
"""

import pickle

import pytest

from gnet import errors
from gnet.net.socketaddress import SocketAddress


def code_of(call):
    try:
        call()
    except errors.NodeError as exc:
        return exc.code
    return None


def as_tuple(address):
    return (address.address, address.port, address.family, address.flowlabel)


def test_defaults():
    for address in (SocketAddress(), SocketAddress({}), SocketAddress(None)):
        assert as_tuple(address) == ('127.0.0.1', 0, 'ipv4', 0)


def test_options():
    assert as_tuple(SocketAddress({'address': '123.123.123.123'})) == (
        '123.123.123.123', 0, 'ipv4', 0)
    assert as_tuple(SocketAddress({'address': '123.123.123.123', 'port': 80})) == (
        '123.123.123.123', 80, 'ipv4', 0)
    assert as_tuple(SocketAddress({'family': 'ipv6'})) == ('::', 0, 'ipv6', 0)
    assert as_tuple(SocketAddress({'family': 'ipv6', 'flowlabel': 1})) == ('::', 0, 'ipv6', 1)
    assert as_tuple(SocketAddress(address='::1', family='IPv6', port=443, flowlabel=0xfffff)) == (
        '::1', 443, 'ipv6', 0xfffff)
    # keyword arguments win over the options mapping; unknown keys are ignored
    assert as_tuple(SocketAddress({'port': 1, 'bogus': 2}, port=2)) == ('127.0.0.1', 2, 'ipv4', 0)
    # an integral float port is an integer, as a JS number is
    assert SocketAddress(port=80.0).port == 80 and type(SocketAddress(port=80.0).port) is int


def test_address_is_shown_canonically():
    assert SocketAddress(address='FE80::1%eth0', family='ipv6').address == 'fe80::1'
    assert SocketAddress(address='::ffff:7b7b:7b7b', family='ipv6').address == (
        '::ffff:123.123.123.123')
    assert SocketAddress(address='0:0:0:0:0:0:0:1', family='ipv6').address == '::1'
    assert SocketAddress(address='1:0:0:1:1:0:0:1', family='ipv6').address == '1::1:1:0:0:1'


def test_flowlabel_is_zero_for_ipv4():
    assert SocketAddress(flowlabel=5).flowlabel == 0
    assert SocketAddress(flowlabel=2 ** 31).flowlabel == 0


def test_constructor_errors():
    cases = {
        'ERR_INVALID_ARG_TYPE': [
            lambda: SocketAddress(1), lambda: SocketAddress(False), lambda: SocketAddress('hello'),
            lambda: SocketAddress([]),
            *(lambda a=a: SocketAddress({'address': a}) for a in (1, False, {}, [])),
            lambda: SocketAddress(flowlabel='1'),
        ],
        'ERR_INVALID_ARG_VALUE': [
            *(lambda f=f: SocketAddress({'family': f}) for f in (1, False, {}, [], 'test', 4)),
        ],
        'ERR_SOCKET_BAD_PORT': [
            *(lambda p=p: SocketAddress({'port': p}) for p in (-1, False, {}, [], 65536, 1.5, '',
                                                               float('inf'), float('nan'))),
        ],
        'ERR_OUT_OF_RANGE': [
            lambda: SocketAddress(flowlabel=-1), lambda: SocketAddress(flowlabel=1.5),
            lambda: SocketAddress(flowlabel=2 ** 32),
        ],
        'ERR_INVALID_ADDRESS': [
            lambda: SocketAddress(address='x'), lambda: SocketAddress(address='::1'),
            lambda: SocketAddress(address='1.2.3.4', family='ipv6'),
            lambda: SocketAddress(address='01.2.3.4'),
        ],
    }
    got = {code: [code_of(call) for call in calls] for code, calls in cases.items()}
    assert got == {code: [code] * len(calls) for code, calls in cases.items()}


def test_error_messages_and_classes():
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE, match="The property 'options.family' is "
                                                          "invalid. Received 'ipv5'"):
        SocketAddress(family='ipv5')
    with pytest.raises(ValueError, match=r'options\.port should be >= 0 and < 65536'):
        SocketAddress(port=65536)
    with pytest.raises(TypeError, match='"options.address" property must be of type string'):
        SocketAddress(address=1)
    with pytest.raises(errors.NodeError) as info:
        SocketAddress(address='x')
    assert info.value.name == 'Error'


def test_validation_order_is_nodes():
    # family, then the address's type, then port, then flowlabel, then the address text
    assert code_of(lambda: SocketAddress(address='x', port=-1)) == 'ERR_SOCKET_BAD_PORT'
    assert code_of(lambda: SocketAddress(address=1, port=-1)) == 'ERR_INVALID_ARG_TYPE'
    assert code_of(lambda: SocketAddress(address='x', flowlabel=-1)) == 'ERR_OUT_OF_RANGE'
    assert code_of(lambda: SocketAddress(port=-1, flowlabel=-1)) == 'ERR_SOCKET_BAD_PORT'
    assert code_of(lambda: SocketAddress(address=1, family='x')) == 'ERR_INVALID_ARG_VALUE'


def test_deviations_from_node_20():
    # Node 20 picks the default address from the family before lower-casing it
    assert as_tuple(SocketAddress(family='IPv4')) == ('127.0.0.1', 0, 'ipv4', 0)
    # Node 20 aborts on these two; gnet validates
    assert SocketAddress(port='8080').port == 8080
    assert code_of(lambda: SocketAddress(family='ipv6', flowlabel=0x100000)) == 'ERR_OUT_OF_RANGE'
    # None is "not given", never JS null
    assert as_tuple(SocketAddress({'address': None, 'port': None, 'family': None,
                                   'flowlabel': None})) == ('127.0.0.1', 0, 'ipv4', 0)


def test_read_only_value_object():
    address = SocketAddress(address='1.2.3.4', port=80)
    with pytest.raises(AttributeError):
        address.port = 81
    same = SocketAddress({'address': '1.2.3.4', 'port': 80})
    assert address == same and hash(address) == hash(same)
    assert address != SocketAddress(address='1.2.3.4', port=81)
    assert address != SocketAddress(address='::ffff:1.2.3.4', family='ipv6', port=80)
    assert address != ('1.2.3.4', 80)
    assert repr(address) == ("SocketAddress(address='1.2.3.4', port=80, family='ipv4', "
                             "flowlabel=0)")
    assert pickle.loads(pickle.dumps(address)) == address


def test_to_json_and_is_socket_address():
    address = SocketAddress(address='::1', family='ipv6', port=8080, flowlabel=7)
    assert address.to_json() == address.toJSON() == {
        'address': '::1', 'port': 8080, 'family': 'ipv6', 'flowlabel': 7}
    assert SocketAddress.is_socket_address(address) is True
    assert SocketAddress.isSocketAddress(address) is True
    for value in ({}, None, '1.2.3.4', address.to_json()):
        assert SocketAddress.is_socket_address(value) is False


# --- Node 22: SocketAddress.parse ---------------------------------------------------

PARSE_GOOD = [  # (input, address, port, family)
    ('1.2.3.4', '1.2.3.4', 0, 'ipv4'),
    ('192.168.257:1', '192.168.1.1', 1, 'ipv4'),
    ('256', '0.0.1.0', 0, 'ipv4'),
    ('999999999:12', '59.154.201.255', 12, 'ipv4'),
    ('0xffffffff', '255.255.255.255', 0, 'ipv4'),
    ('0x.0x.0', '0.0.0.0', 0, 'ipv4'),
    ('[1:0::]', '1::', 0, 'ipv6'),
    ('[1::8]:123', '1::8', 123, 'ipv6'),
    # more, checked against node v20's URL parser
    ('1.2.3.4:8080', '1.2.3.4', 8080, 'ipv4'),
    ('[::1]:65535', '::1', 65535, 'ipv6'),
    ('[::ffff:1.2.3.4]:1', '::ffff:1.2.3.4', 1, 'ipv6'),
    ('[::1]', '::1', 0, 'ipv6'),
    ('1.2.3.4:', '1.2.3.4', 0, 'ipv4'),
    ('1.2.3.4:0081', '1.2.3.4', 81, 'ipv4'),
    ('1.2.3.4.', '1.2.3.4', 0, 'ipv4'),
    ('0101.2.3.4', '65.2.3.4', 0, 'ipv4'),
    ('1.2.3.4 ', '1.2.3.4', 0, 'ipv4'),
    ('0' * 5000 + '1:' + '0' * 5000 + '7', '0.0.0.1', 7, 'ipv4'),
    ('4294967295:00', '255.255.255.255', 0, 'ipv4'),
]

PARSE_BAD = [
    1, False, [], {}, None, 'a.b..??.c', 'a:b:c', 'localhost:80', '1.2.3.4:65536',
    '1.2.3.4:-1', '1.2.3.4:x', '[::1]80', '[::1', '[fe80::1%eth0]:1', '[fe80::1%25eth0]:1',
    '[::1.2.3]', '1.2.3.08', '4294967296', '1.2.3.256', '1.2.3.4..', ' 1.2.3.4', '',
    '[1.2.3.4]', '::1', '1.2.3.4:' + '9' * 5000, '1' * 5000, '[::1]:00000000065536',
]


def test_parse_good():
    got = [as_tuple(SocketAddress.parse(text))[:3] for text, *_ in PARSE_GOOD]
    assert got == [tuple(expected) for _, *expected in PARSE_GOOD]


def test_parse_bad_gives_none():
    assert [SocketAddress.parse(value) for value in PARSE_BAD] == [None] * len(PARSE_BAD)


def test_parse_keeps_port_80():
    # Node 22 answers port 0 here: http:// URL parsing drops 80 as the default
    assert SocketAddress.parse('1.2.3.4:80').port == 80
    assert SocketAddress.parse('1.2.3.4:0080').port == 80
    assert SocketAddress.parse('[::1]:80') == SocketAddress(address='::1', family='ipv6', port=80)
