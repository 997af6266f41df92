"""``BlockList``: Node's ``net.BlockList`` with O(log n) ``check()``.

Owns: the rule API (``add_address``/``add_range``/``add_subnet``/``check``,
``rules``, Node 22's ``is_block_list``/``to_json``/``from_json``), its
argument validation and error codes, and the interval index behind
``check``.
Must not import: gevent, socket, anything doing I/O (pure module).

How matching works.  Node keeps a list of rules and tries each in turn; a
rule matches an address under these rules (from ``node_sockaddr.cc``):

- IPv4 and IPv6 compare only through the IPv4-mapped block
  ``::ffff:0:0/96``: ``1.2.3.4`` equals ``::ffff:1.2.3.4``, and an IPv4
  address compared with an IPv6 address outside that block is *not
  comparable*, which never matches;
- an address or subnet rule matches the addresses it contains, seen through
  that mapping (``::/64`` blocks every IPv4 address, ``1.2.0.0/16`` blocks
  ``::ffff:1.2.3.4``);
- a range rule matches ``start <= a <= end``, both comparisons being
  comparable: so an IPv6 range ``::-ffff::`` blocks ``::ffff:1.2.3.4`` but
  not ``1.2.3.4``.

So every rule matches one interval of IPv4 addresses (possibly empty) and one
interval of IPv6 addresses.  Each family keeps a sorted list of merged,
disjoint intervals and ``check`` is one ``bisect``.  Adds are queued and
folded in on the next ``check``: a few at a time by insertion, a large batch
by one sort-and-merge.  The rule strings are kept apart for ``rules``.

Deviations from Node, on purpose: ``from_json`` parses Node's rule strings
fully (IPv6 addresses with a dotted tail, mixed-family ranges) and raises on
a string it cannot read instead of skipping it (a silently dropped rule
would be a hole in the list); it re-adds rules oldest first, so
``from_json(to_json())`` reproduces ``rules`` in the same order, and it
returns the list.  A copy (``copy.copy``, ``copy.deepcopy``, pickling) is an
independent list with the same rules; Node's structured clone shares one.
"""

import json
import re
from bisect import bisect_left, bisect_right
from typing import Any, List, Optional, Sequence, Tuple, Union

from zope.interface import implementer

from .. import errors, naming
from ..interfaces import IBlockList
from ..validators import validate_int32
from .ip import MAPPED_BASE, MAPPED_LAST, format_ip, from_mapped, parse_ip, to_mapped
from .socketaddress import SocketAddress, normalize_family, parse_address

__all__ = ['BlockList']

Address = Union[str, SocketAddress]
Endpoint = Tuple[int, int]  # (4|6, integer value)

#: Queued adds folded in one by one (each a bisect plus a list splice) up to
#: this many; a larger batch is sorted and merged with the index in one pass.
INSERT_BATCH_LIMIT = 64


class _IntervalSet:
    """Disjoint closed integer intervals, sorted, adjacent ones merged."""

    __slots__ = ('_starts', '_ends', '_pending')

    def __init__(self) -> None:
        self._starts: List[int] = []  # interval i is [_starts[i], _ends[i]]
        self._ends: List[int] = []    # ascending too, since intervals are disjoint
        self._pending: List[Tuple[int, int]] = []  # added since the last lookup

    def add(self, low: int, high: int) -> None:
        self._pending.append((low, high))

    def __contains__(self, value: int) -> bool:
        if self._pending:
            self._flush()
        i = bisect_right(self._starts, value) - 1
        return i >= 0 and value <= self._ends[i]

    def __len__(self) -> int:
        if self._pending:
            self._flush()
        return len(self._starts)

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if len(pending) <= INSERT_BATCH_LIMIT:
            for low, high in pending:
                self._insert(low, high)
        else:
            self._merge(_merged(sorted(pending)))

    def _insert(self, low: int, high: int) -> None:
        """Splice one interval in place, absorbing those it overlaps or touches."""
        starts, ends = self._starts, self._ends
        i = bisect_left(ends, low - 1)      # first interval touching from the left
        j = bisect_right(starts, high + 1)  # past the last one touching from the right
        if i < j:
            low, high = min(low, starts[i]), max(high, ends[j - 1])
        starts[i:j] = [low]
        ends[i:j] = [high]

    def _merge(self, intervals: List[List[int]]) -> None:
        """Merge sorted disjoint ``intervals`` in one pass: bisect to each one,
        copy the untouched stretch before it as a slice, absorb what it touches."""
        starts, ends = self._starts, self._ends
        new_starts: List[int] = []
        new_ends: List[int] = []
        done = 0  # intervals of the index before this one are already copied
        for low, high in intervals:
            i = bisect_left(ends, low - 1, done)
            new_starts += starts[done:i]
            new_ends += ends[done:i]
            done = bisect_right(starts, high + 1, i)
            if i < done:
                low, high = min(low, starts[i]), max(high, ends[done - 1])
            if new_ends and low <= new_ends[-1] + 1:  # touches the one just written
                new_ends[-1] = max(new_ends[-1], high)
            else:
                new_starts.append(low)
                new_ends.append(high)
        self._starts = new_starts + starts[done:]
        self._ends = new_ends + ends[done:]


def _merged(intervals: List[Tuple[int, int]]) -> List[List[int]]:
    """Sorted intervals -> disjoint ones, overlapping or adjacent ones joined."""
    out: List[List[int]] = []
    for low, high in intervals:
        if out and low <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], high)
        else:
            out.append([low, high])
    return out


# --- what one rule matches, per family of the checked address ---------------

Span = Optional[Tuple[int, int]]  # a closed interval, or None when empty
Rule = Tuple[str, Span, Span]     # (rule string, IPv4 span, IPv6 span)


def _as_v6(point: Endpoint) -> int:
    return point[1] if point[0] == 6 else to_mapped(point[1])


def _as_v4(point: Endpoint) -> Optional[int]:
    return point[1] if point[0] == 4 else from_mapped(point[1])


def _span(low: Optional[int], high: Optional[int]) -> Span:
    return (low, high) if low is not None and high is not None and low <= high else None


def _text(point: Endpoint) -> str:
    return format_ip(*point)


def _address_rule(point: Endpoint) -> Rule:
    v4, v6 = _as_v4(point), _as_v6(point)
    return 'Address: IPv%d %s' % (point[0], _text(point)), _span(v4, v4), (v6, v6)


def _range_rule(first: Endpoint, last: Endpoint, start: Any = None) -> Rule:
    """``start <= a <= end``, where IPv4 and IPv6 compare only via the mapping."""
    low6, high6 = _as_v6(first), _as_v6(last)
    mixed = first[0] != last[0]
    if low6 > high6 and (not mixed or None not in (_as_v4(first), _as_v4(last))):
        raise errors.ERR_INVALID_ARG_VALUE('start', _shown(start, first), 'must come before end')
    if 4 in (first[0], last[0]):  # then an IPv6 address must be mapped to compare
        low6, high6 = max(low6, MAPPED_BASE), min(high6, MAPPED_LAST)
    return ('Range: IPv%d %s-%s' % (first[0], _text(first), _text(last)),
            _span(_as_v4(first), _as_v4(last)), _span(low6, high6))


def _subnet_rule(point: Endpoint, prefix: Any) -> Rule:
    """The addresses in ``network/prefix``, IPv4 ones seen as mapped."""
    family, value = point
    total = 32 if family == 4 else 128
    bits = _prefix(prefix, total)
    host_mask = (1 << (total - bits)) - 1
    low, high = value & ~host_mask, value | host_mask
    rule = 'Subnet: IPv%d %s/%d' % (family, _text(point), bits)
    if family == 4:
        return rule, (low, high), (to_mapped(low), to_mapped(high))
    return (rule, _span(from_mapped(max(low, MAPPED_BASE)), from_mapped(min(high, MAPPED_LAST))),
            (low, high))


# --- argument validation, in Node's order -----------------------------------

def _endpoint(value: Any, family: Any, name: str) -> Endpoint:
    if isinstance(value, SocketAddress):
        return value._ip
    if not isinstance(value, str):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'string', value)
    if family is not None and not isinstance(family, str):
        raise errors.ERR_INVALID_ARG_TYPE('family', 'string', family)
    number = normalize_family(family, 'options.family')
    return number, parse_address(value, number)


def _prefix(value: Any, bits: int) -> int:
    return validate_int32(value, 'prefix', 0, bits)  # as Node


def _shown(value: Any, point: Endpoint) -> Any:
    """What Node's error message shows for an argument: a SocketAddress."""
    if isinstance(value, SocketAddress):
        return value
    return SocketAddress(address=_text(point), family='ipv%d' % point[0])


@implementer(IBlockList)
@naming.node_aliases
class BlockList:
    """Rules that block IP addresses, ranges and subnets (Node's ``net.BlockList``).

    Addresses are strings of the given family (``'ipv4'`` by default, any
    case) or :class:`SocketAddress` objects, whose own family then wins.
    Errors, as Node raises them: an address that is neither string nor
    SocketAddress, or a non-string family -> ``ERR_INVALID_ARG_TYPE``; an
    unknown family -> ``ERR_INVALID_ARG_VALUE``; an address that does not
    parse as its family -> ``ERR_INVALID_ADDRESS``; ``start`` after ``end`` ->
    ``ERR_INVALID_ARG_VALUE``; a prefix outside 0-32 / 0-128 or not an
    integer -> ``ERR_OUT_OF_RANGE``.  ``check`` is O(log n) in the number of
    rules; the module docstring states the matching rules.
    """

    __slots__ = ('_rules', '_v4', '_v6')

    def __init__(self) -> None:
        self._rules: List[str] = []      # rule strings, oldest first
        self._v4 = _IntervalSet()        # IPv4 addresses blocked
        self._v6 = _IntervalSet()        # IPv6 addresses blocked (mapped included)

    def _add(self, rule: Rule) -> None:
        text, v4, v6 = rule
        if v4 is not None:
            self._v4.add(*v4)
        if v6 is not None:
            self._v6.add(*v6)
        self._rules.append(text)

    def add_address(self, address: Address, family: Optional[str] = 'ipv4') -> None:
        """Block one address."""
        self._add(_address_rule(_endpoint(address, family, 'address')))

    def add_range(self, start: Address, end: Address, family: Optional[str] = 'ipv4') -> None:
        """Block every address from ``start`` to ``end``, both included."""
        first = _endpoint(start, family, 'start')
        last = _endpoint(end, family, 'end')
        self._add(_range_rule(first, last, start))

    def add_subnet(self, net: Address, prefix: int, family: Optional[str] = 'ipv4') -> None:
        """Block the ``prefix``-bit network containing ``net``."""
        self._add(_subnet_rule(_endpoint(net, family, 'network'), prefix))

    def check(self, address: Address, family: Optional[str] = 'ipv4') -> bool:
        """True iff a rule blocks ``address``.

        A malformed address or an unknown family gives False (as in Node);
        only a non-string address or family raises ``ERR_INVALID_ARG_TYPE``.
        """
        try:
            number, value = _endpoint(address, family, 'address')
        except (errors.ERR_INVALID_ADDRESS, errors.ERR_INVALID_ARG_VALUE):
            return False
        return value in (self._v4 if number == 4 else self._v6)

    @property
    def rules(self) -> List[str]:
        """The rules as Node shows them, most recently added first."""
        return self._rules[::-1]

    @staticmethod
    def is_block_list(value: Any) -> bool:
        """True iff ``value`` is a :class:`BlockList`."""
        return isinstance(value, BlockList)

    def to_json(self) -> List[str]:
        """The rules (Node 22's ``toJSON``); ``from_json`` reads them back."""
        return self.rules

    def from_json(self, data: Union[str, Sequence[str]]) -> 'BlockList':
        """Add the rules in ``data``: a list of rule strings, or its JSON text.

        The list is taken newest first, as ``rules`` gives it, so
        ``BlockList().from_json(b.to_json()).rules == b.rules``.  Every string
        is checked before any rule is added.  Raises ``ERR_INVALID_ARG_TYPE``
        if ``data`` is not a string or a list of strings,
        ``ERR_INVALID_ARG_VALUE`` for bad JSON or a string that is not a rule,
        and the add methods' errors for a rule they would refuse.
        """
        parsed = [_parse_rule(item) for item in _json_items(data)]
        for rule in reversed(parsed):
            self._add(rule)
        return self

    def __repr__(self) -> str:
        return 'BlockList(rules=%r)' % (self.rules,)

    def __reduce__(self) -> Any:
        return (_restore, (self.to_json(),))

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    addAddress = add_address
    addRange = add_range
    addSubnet = add_subnet
    isBlockList = is_block_list
    toJSON = to_json
    fromJSON = from_json


def _restore(rules: List[str]) -> BlockList:
    return BlockList().from_json(rules)


def _json_items(data: Any) -> List[str]:
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            raise errors.ERR_INVALID_ARG_VALUE('data', data, 'is not valid JSON') from None
    if not isinstance(data, (list, tuple)) or not all(isinstance(item, str) for item in data):
        raise errors.ERR_INVALID_ARG_TYPE('data', ['string', 'string[]'], data)
    return list(data)


_ADDR = r'([0-9A-Fa-f:.]+)'  # the address texts format_ip writes
_RULE_RES = {
    'Address': re.compile(r'Address: IPv([46]) %s' % _ADDR),
    'Range': re.compile(r'Range: IPv([46]) %s-%s' % (_ADDR, _ADDR)),
    'Subnet': re.compile(r'Subnet: IPv([46]) %s/([0-9]{1,3})' % _ADDR),
}


def _parse_rule(item: str) -> Rule:
    """One of Node's rule strings -> the rule it describes (validated)."""
    kind = item.partition(':')[0]
    pattern = _RULE_RES.get(kind)
    match = pattern.fullmatch(item) if pattern else None
    if match:
        family, texts = int(match.group(1)), match.groups()[1:]
        first = parse_ip(texts[0])
        last = parse_ip(texts[1]) if kind == 'Range' else first
        if first is not None and last is not None and first[0] == family:
            if kind == 'Address':
                return _address_rule(first)
            if kind == 'Subnet':
                return _subnet_rule(first, int(texts[1]))
            return _range_rule(first, last)
    raise errors.ERR_INVALID_ARG_VALUE('data', item, 'is not a BlockList rule')
