"""``SocketAddress``: an immutable, validated (address, port, family, flowlabel).

Owns: Node's ``net.SocketAddress`` (constructor validation and its error
codes, ``is_socket_address``, Node 22's ``parse`` and ``toJSON``), and
``parse_address``, the address-text rule every API taking an address plus a
family shares (``BlockList`` uses it so its errors match Node's).
Must not import: gevent, socket, anything doing I/O (pure module).

Deviations from Node 20, each chosen on purpose:

- the default address follows the family *after* lower-casing, so
  ``SocketAddress(family='IPv4')`` is ``127.0.0.1`` (Node looks at the raw
  string and then rejects its own default ``'::'`` as an IPv4 address);
- a port may be a numeric string (``'80'``), as ``validatePort`` promises
  (Node 20 aborts the process on a string port);
- an IPv6 flow label above 20 bits raises ``ERR_OUT_OF_RANGE`` (Node 20
  aborts the process);
- ``None`` for any option means "not given" (JS ``undefined``), never
  ``null``;
- ``parse`` accepts exactly ``host[:port]`` (no user info, path, query or
  percent-escapes, which a WHATWG URL parser would skip over) and keeps a
  port of 80 (Node 22 goes through ``http://`` URL parsing, which drops 80 as
  the default port and so answers port 0).
"""

from typing import Any, Dict, Mapping, Optional, Tuple, Union

from .. import errors, naming
from ..validators import validate_uint32
from .args import validate_port
from .ip import format_ip, parse_ip, parse_url_ipv4

__all__ = ['SocketAddress', 'parse_address', 'normalize_family']

_FAMILIES = {'ipv4': 4, 'ipv6': 6}
_FAMILY_NAMES = {4: 'ipv4', 6: 'ipv6'}
_FLOWLABEL_MAX = 0xfffff  # the 20-bit IPv6 flow label field
_C0_AND_SPACE = ''.join(map(chr, range(0x21)))  # a URL parser trims them


def normalize_family(family: Any, name: str = 'options.family') -> int:
    """``'ipv4'``/``'ipv6'`` in any case (None: ``'ipv4'``) -> 4 or 6.

    Anything else raises ``ERR_INVALID_ARG_VALUE`` naming ``name``.
    """
    if family is None:
        return 4
    number = _FAMILIES.get(family.lower()) if isinstance(family, str) else None
    if number is None:
        raise errors.ERR_INVALID_ARG_VALUE(name, family, 'is invalid')
    return number


def parse_address(address: str, family: int) -> int:
    """The integer value of ``address`` as an address of ``family`` (4 or 6).

    The grammar is :func:`gnet.net.ip.parse_ip`'s; as in libuv's
    ``uv_ip6_addr``, whatever follows a ``%`` in an IPv6 address is a zone id
    and is ignored.  Raises ``ERR_INVALID_ADDRESS`` when the text is not an
    address of that family.
    """
    text = address.partition('%')[0] if family == 6 else address
    parsed = parse_ip(text)
    if parsed is None or parsed[0] != family:
        raise errors.ERR_INVALID_ADDRESS(address)
    return parsed[1]


def _validate_flowlabel(flowlabel: Any, family: int) -> int:
    name = 'options.flowlabel'
    validate_uint32(flowlabel, name)
    if family == 6 and flowlabel > _FLOWLABEL_MAX:
        raise errors.ERR_OUT_OF_RANGE(name, '>= 0 && <= %d' % _FLOWLABEL_MAX, flowlabel)
    return int(flowlabel) if family == 6 else 0


@naming.node_aliases
class SocketAddress:
    """An IP socket address, validated like Node's ``new net.SocketAddress()``.

    ``SocketAddress({'address': '::1', 'family': 'ipv6', 'port': 80})`` or
    ``SocketAddress(address='::1', family='ipv6', port=80)``.  Defaults:
    family ``'ipv4'``, address ``'127.0.0.1'`` (``'::'`` for IPv6), port 0,
    flowlabel 0.  Errors: options not a mapping -> ``ERR_INVALID_ARG_TYPE``;
    unknown family -> ``ERR_INVALID_ARG_VALUE``; address not a string ->
    ``ERR_INVALID_ARG_TYPE``; bad port -> ``ERR_SOCKET_BAD_PORT``; flowlabel not
    a number -> ``ERR_INVALID_ARG_TYPE``, out of range ->
    ``ERR_OUT_OF_RANGE``; address not of the family -> ``ERR_INVALID_ADDRESS``
    (checked in that order, as Node does).  ``address`` is shown in canonical
    form (``'FE80::1%eth0'`` -> ``'fe80::1'``); ``family`` is ``'ipv4'`` or
    ``'ipv6'``; the object is immutable, hashable and compares by value.
    """

    __slots__ = ('_address', '_port', '_family', '_flowlabel', '_ip')

    def __init__(self, options: Optional[Mapping[str, Any]] = None, *,
                 address: Optional[str] = None, port: Union[int, str, None] = None,
                 family: Optional[str] = None, flowlabel: Optional[int] = None) -> None:
        if options is not None and not isinstance(options, Mapping):
            raise errors.ERR_INVALID_ARG_TYPE('options', 'object', options)
        opts = naming.options(options, address=address, port=port, family=family,
                              flowlabel=flowlabel)
        number = normalize_family(opts.get('family'))
        address = opts.get('address')
        if address is None:
            address = '127.0.0.1' if number == 4 else '::'
        if not isinstance(address, str):
            raise errors.ERR_INVALID_ARG_TYPE('options.address', 'string', address)
        port = validate_port(0 if opts.get('port') is None else opts['port'], 'options.port')
        flow = opts.get('flowlabel')
        self._flowlabel = _validate_flowlabel(0 if flow is None else flow, number)
        value = parse_address(address, number)
        self._ip: Tuple[int, int] = (number, value)  # (4|6, integer) for BlockList
        self._address = format_ip(number, value)
        self._port = port
        self._family = _FAMILY_NAMES[number]

    @property
    def address(self) -> str:
        """The address in canonical text form (no zone id)."""
        return self._address

    @property
    def port(self) -> int:
        return self._port

    @property
    def family(self) -> str:
        """``'ipv4'`` or ``'ipv6'`` (lower case, as Node's SocketAddress has it)."""
        return self._family

    @property
    def flowlabel(self) -> int:
        """The IPv6 flow label; always 0 for IPv4."""
        return self._flowlabel

    @staticmethod
    def is_socket_address(value: Any) -> bool:
        """True iff ``value`` is a :class:`SocketAddress`."""
        return isinstance(value, SocketAddress)

    @classmethod
    def parse(cls, input: Any) -> Optional['SocketAddress']:
        """``'1.2.3.4:80'`` / ``'[::1]:80'`` / ``'1.2.3.4'`` -> SocketAddress, or None.

        The host is an IPv4 address in any form a URL accepts
        (``'192.168.257'``, ``'0x7f.1'``) or a bracketed IPv6 address; the
        port, if present, is decimal and at most 65535 (an empty port is 0).
        Trailing control characters and spaces are ignored, as by a URL parser.
        Never raises: anything unparsable (including non-strings) is None.
        """
        if not isinstance(input, str):
            return None
        input = input.rstrip(_C0_AND_SPACE)
        if input.startswith('['):
            host, sep, rest = input[1:].partition(']')
            family = 6
            if not sep or '%' in host:  # URL hosts carry no zone id
                return None
        else:
            host, colon, port_text = input.partition(':')
            rest = colon + port_text
            family = 4
        if rest and not rest.startswith(':'):
            return None
        digits = rest[1:].lstrip('0')  # leading zeros are allowed, as in a URL
        if digits and not (digits.isdigit() and digits.isascii() and len(digits) <= 5):
            return None
        port = int(digits) if digits else 0
        if port > 0xffff:
            return None
        if family == 4:
            value = parse_url_ipv4(host)
            if value is None:
                return None
            host = format_ip(4, value)
        try:
            return cls(address=host, port=port, family=_FAMILY_NAMES[family])
        except errors.NodeError:
            return None

    def to_json(self) -> Dict[str, Any]:
        """``{'address', 'port', 'family', 'flowlabel'}`` as Node's ``toJSON``."""
        return {'address': self._address, 'port': self._port,
                'family': self._family, 'flowlabel': self._flowlabel}

    def _key(self) -> Tuple[Any, ...]:
        return (self._ip, self._port, self._flowlabel)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SocketAddress):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return 'SocketAddress(%s)' % ', '.join(
            '%s=%r' % item for item in self.to_json().items())

    def __reduce__(self) -> Any:
        return (type(self), (self.to_json(),))

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    isSocketAddress = is_socket_address
    toJSON = to_json
