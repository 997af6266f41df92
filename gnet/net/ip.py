"""IP address grammar: Node's ``isIP`` family, parsing to integers, formatting.

Owns: the IPv4/IPv6 text grammars exactly as Node's ``lib/internal/net.js``
regular expressions define them, ``parse_ip`` (text -> ``(4|6, int)``),
``format_ip`` (integer -> the text libuv's ``inet_ntop`` writes, which is what
Node shows in ``SocketAddress.address`` and ``BlockList.rules``), the
IPv4-mapped IPv6 helpers, and the WHATWG URL IPv4 host grammar that
``SocketAddress.parse`` needs.
Must not import: gevent, socket, anything doing I/O (pure module).

Why not ``ipaddress``: it differs from Node at the edges (it accepts any zone
id, e.g. ``fe80::1%a_b``, which Node rejects; it formats ``::ffff:1.2.3.4`` as
``::ffff:102:304`` where Node keeps the dotted tail), so the grammar is written
out here and cross-checked against ``ipaddress`` by the property tests where
the two agree.
"""

import re
from typing import Any, List, Optional, Tuple

__all__ = ['is_ip', 'is_ipv4', 'is_ipv6', 'parse_ip', 'format_ip',
           'MAPPED_BASE', 'MAPPED_LAST', 'to_mapped', 'from_mapped',
           'parse_url_ipv4']

# --- the grammar (a transcription of Node's IPv4Reg / IPv6Reg) --------------

_V4_SEG = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])'
_V4_STR = r'(?:%s\.){3}%s' % (_V4_SEG, _V4_SEG)
_V6_SEG = '(?:[0-9a-fA-F]{1,4})'


def _v6_alternatives() -> str:
    s, v4 = _V6_SEG, _V4_STR
    rows = ['(?:%s:){7}(?:%s|:)' % (s, s),
            '(?:%s:){6}(?:%s|:%s|:)' % (s, v4, s),
            '(?:%s:){5}(?::%s|(?::%s){1,2}|:)' % (s, v4, s)]
    for lead in range(4, 0, -1):  # {4} .. {1} leading groups, then '::' forms
        rows.append('(?:%s:){%d}(?:(?::%s){0,%d}:%s|(?::%s){1,%d}|:)'
                    % (s, lead, s, 5 - lead, v4, s, 7 - lead))
    rows.append('(?::(?:(?::%s){0,5}:%s|(?::%s){1,7}|:))' % (s, v4, s))
    return '|'.join(rows)


_IPV4_RE = re.compile(_V4_STR)
_IPV6_RE = re.compile('(?:%s)(?:%%[0-9a-zA-Z\\-.:]+)?' % _v6_alternatives())

#: ``::ffff:0.0.0.0`` and ``::ffff:255.255.255.255``: the IPv4-mapped block.
MAPPED_BASE = 0xffff << 32
MAPPED_LAST = MAPPED_BASE | 0xffffffff


def _js_string(value: Any, depth: int = 0) -> Optional[str]:
    """What JS ``String(value)`` would give, near enough for the IP grammar.

    ``None`` stands for ``undefined``/``null``; a list or tuple joins with
    commas as a JS array does; bytes decode as a ``Buffer`` does.  Returns
    None when the value cannot be turned into text (or nests absurdly deep,
    as a list containing itself does).
    """
    if isinstance(value, str):
        return value
    if value is None:
        return 'undefined'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode('utf-8', 'replace')
    if isinstance(value, (list, tuple)):
        parts = []
        for item in value:
            text = '' if item is None else _js_string(item, depth + 1) if depth < 8 else None
            if text is None:
                return None
            parts.append(text)
        return ','.join(parts)
    try:
        return str(value)
    except Exception:
        return None


def is_ipv4(value: Any) -> bool:
    """True iff ``value`` is dotted-decimal IPv4 with no leading zeros."""
    text = _js_string(value)
    return text is not None and _IPV4_RE.fullmatch(text) is not None


def is_ipv6(value: Any) -> bool:
    """True iff ``value`` is an RFC 4291 IPv6 address (optional ``%zone``)."""
    text = _js_string(value)
    return text is not None and _IPV6_RE.fullmatch(text) is not None


def is_ip(value: Any) -> int:
    """4 for an IPv4 address, 6 for an IPv6 address, else 0.  Never raises."""
    if is_ipv4(value):
        return 4
    if is_ipv6(value):
        return 6
    return 0


# --- text <-> integer ---------------------------------------------------------

def _v4_value(text: str) -> int:
    a, b, c, d = text.split('.')
    return (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)


def _v6_words(part: str) -> List[int]:
    words: List[int] = []
    if part:
        for group in part.split(':'):
            if '.' in group:
                v4 = _v4_value(group)
                words += [v4 >> 16, v4 & 0xffff]
            else:
                words.append(int(group, 16))
    return words


def _v6_value(text: str) -> int:
    head, sep, tail = text.partition('::')
    words = _v6_words(head)
    if sep:
        tail_words = _v6_words(tail)
        words += [0] * (8 - len(words) - len(tail_words)) + tail_words
    value = 0
    for word in words:
        value = (value << 16) | word
    return value


def parse_ip(text: Any) -> Optional[Tuple[int, int]]:
    """``(4, int)`` or ``(6, int)`` for an address ``is_ip`` accepts, else None.

    A zone id (``fe80::1%eth0``) is accepted and dropped, as Node's
    ``SocketAddress`` drops it.  Only ``str`` is parsed; anything else is None.
    """
    if not isinstance(text, str):
        return None
    if _IPV4_RE.fullmatch(text):
        return 4, _v4_value(text)
    if _IPV6_RE.fullmatch(text):
        return 6, _v6_value(text.partition('%')[0])
    return None


def _format_v4(value: int) -> str:
    return '%d.%d.%d.%d' % (value >> 24, (value >> 16) & 255, (value >> 8) & 255, value & 255)


def _longest_zero_run(words: List[int]) -> Tuple[int, int]:
    """(base, length) of the first longest run of zero words; (-1, 0) if < 2."""
    best_base, best_len, base = -1, 0, -1
    for i, word in enumerate(words + [1]):  # the sentinel closes a trailing run
        if word == 0:
            if base < 0:
                base = i
        elif base >= 0:
            if i - base > best_len:
                best_base, best_len = base, i - base
            base = -1
    return (best_base, best_len) if best_len >= 2 else (-1, 0)


def _format_v6(value: int) -> str:
    """libuv's ``inet_ntop6`` (BIND's): first longest zero run becomes ``::``,
    and ``::a.b.c.d`` / ``::ffff:a.b.c.d`` keep their dotted IPv4 tail."""
    words = [(value >> (16 * (7 - i))) & 0xffff for i in range(8)]
    base, length = _longest_zero_run(words)
    out = []
    for i, word in enumerate(words):
        if base <= i < base + length:
            if i == base:
                out.append(':')
            continue
        if i:
            out.append(':')
        if i == 6 and base == 0 and (length == 6 or (length == 5 and words[5] == 0xffff)):
            out.append(_format_v4(value & 0xffffffff))
            break
        out.append('%x' % word)
    if base >= 0 and base + length == 8:
        out.append(':')
    return ''.join(out)


def format_ip(family: int, value: int) -> str:
    """The canonical text Node shows for an address (zone ids are not kept)."""
    return _format_v4(value) if family == 4 else _format_v6(value)


def to_mapped(value: int) -> int:
    """IPv4 integer -> its IPv4-mapped IPv6 integer (``::ffff:a.b.c.d``)."""
    return MAPPED_BASE | value


def from_mapped(value: int) -> Optional[int]:
    """IPv4-mapped IPv6 integer -> the IPv4 integer, or None if not mapped."""
    return value - MAPPED_BASE if MAPPED_BASE <= value <= MAPPED_LAST else None


# --- WHATWG URL host IPv4 (``http://0x7f.1/`` is 127.0.0.1) --------------------

_RADIX_DIGITS = {10: frozenset('0123456789'), 8: frozenset('01234567'),
                 16: frozenset('0123456789abcdefABCDEF')}


def _url_ipv4_number(part: str) -> Optional[int]:
    radix = 10
    if len(part) >= 2 and part[:2] in ('0x', '0X'):
        part, radix = part[2:], 16
    elif len(part) >= 2 and part[0] == '0':
        part, radix = part[1:], 8
    if not part:
        return 0
    if not set(part) <= _RADIX_DIGITS[radix] or (radix == 10 and len(part) > 10):
        return None  # more than 10 decimal digits exceed any IPv4 part anyway
    return int(part, radix)


def parse_url_ipv4(host: str) -> Optional[int]:
    """The WHATWG URL IPv4 parser: ``'192.168.257'`` -> 192.168.1.1's integer.

    Accepts 1-4 dot-separated parts, each decimal, octal (leading ``0``) or
    hex (``0x``), the last part filling the remaining bytes; a single
    trailing dot is allowed.  Returns None on failure.
    """
    parts = host.split('.')
    if parts[-1] == '' and len(parts) > 1:
        parts.pop()
    if not parts or len(parts) > 4 or '' in parts:
        return None
    numbers = []
    for part in parts:
        number = _url_ipv4_number(part)
        if number is None:
            return None
        numbers.append(number)
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    return last + sum(n << (8 * (3 - i)) for i, n in enumerate(leading))
