"""test-net-isip.js: isIP, isIPv4 and isIPv6 on addresses, near misses, zone
ids, and non-string input (converted to text as JS does: a value with its own
string conversion is judged by that text).

Python has one None for JS undefined and null, so isIP() (no argument) and
isIP(null) are both isIP(None); a JS object literal with toString is an object
whose __str__ gives that text."""

import gnet as net


class ToString:
    """A JS ``{ toString: () => text }``."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def test_net_isip(common):
    assert net.isIP('127.0.0.1') == 4
    assert net.isIP('x127.0.0.1') == 0
    assert net.isIP('example.com') == 0
    assert net.isIP('0000:0000:0000:0000:0000:0000:0000:0000') == 6
    assert net.isIP('0000:0000:0000:0000:0000:0000:0000:0000::0000') == 0
    assert net.isIP('1050:0:0:0:5:600:300c:326b') == 6
    assert net.isIP('2001:252:0:1::2008:6') == 6
    assert net.isIP('2001:dead:beef:1::2008:6') == 6
    assert net.isIP('2001::') == 6
    assert net.isIP('2001:dead::') == 6
    assert net.isIP('2001:dead:beef::') == 6
    assert net.isIP('2001:dead:beef:1::') == 6
    assert net.isIP('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff') == 6
    assert net.isIP(':2001:252:0:1::2008:6:') == 0
    assert net.isIP(':2001:252:0:1::2008:6') == 0
    assert net.isIP('2001:252:0:1::2008:6:') == 0
    assert net.isIP('2001:252::1::2008:6') == 0
    assert net.isIP('::2001:252:1:2008:6') == 6
    assert net.isIP('::2001:252:1:1.1.1.1') == 6
    assert net.isIP('::2001:252:1:255.255.255.255') == 6
    assert net.isIP('::2001:252:1:255.255.255.255.76') == 0
    assert net.isIP('fe80::2008%eth0') == 6
    assert net.isIP('fe80::2008%eth0.0') == 6
    assert net.isIP('fe80::2008%eth0@1') == 0
    assert net.isIP('::anything') == 0
    assert net.isIP('::1') == 6
    assert net.isIP('::') == 6
    assert net.isIP('0000:0000:0000:0000:0000:0000:12345:0000') == 0
    assert net.isIP('0') == 0
    assert net.isIP(None) == 0
    assert net.isIP('') == 0
    assert net.isIP(None) == 0
    assert net.isIP(123) == 0
    assert net.isIP(True) == 0
    assert net.isIP({}) == 0
    assert net.isIP(ToString('::2001:252:1:255.255.255.255')) == 6
    assert net.isIP(ToString('127.0.0.1')) == 4
    assert net.isIP(ToString('bla')) == 0
    assert net.isIPv4('127.0.0.1') is True
    assert net.isIPv4('example.com') is False
    assert net.isIPv4('2001:252:0:1::2008:6') is False
    assert net.isIPv4(None) is False
    assert net.isIPv4('') is False
    assert net.isIPv4(None) is False
    assert net.isIPv4(123) is False
    assert net.isIPv4(True) is False
    assert net.isIPv4({}) is False
    assert net.isIPv4(ToString('::2001:252:1:255.255.255.255')) is False
    assert net.isIPv4(ToString('127.0.0.1')) is True
    assert net.isIPv4(ToString('bla')) is False
    assert net.isIPv6('127.0.0.1') is False
    assert net.isIPv6('example.com') is False
    assert net.isIPv6('2001:252:0:1::2008:6') is True
    assert net.isIPv6(None) is False
    assert net.isIPv6('') is False
    assert net.isIPv6(None) is False
    assert net.isIPv6(123) is False
    assert net.isIPv6(True) is False
    assert net.isIPv6({}) is False
    assert net.isIPv6(ToString('::2001:252:1:255.255.255.255')) is True
    assert net.isIPv6(ToString('127.0.0.1')) is False
    assert net.isIPv6(ToString('bla')) is False
    common.run()
