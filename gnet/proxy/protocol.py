"""The PROXY protocol (HAProxy's, versions 1 and 2): a sans-IO parser and encoders.

Owns: recognising, validating and decoding a PROXY header at the start of a
byte stream (``parse``, :class:`HeaderParser`), and producing one
(``encode_v1``, ``encode_v2``, ``encode``).  The reference is HAProxy's
``proxy-protocol.txt``.
Must not import: gevent, sockets, the loop (pure module; the server side
that reads a header off an accepted connection is :mod:`gnet.proxy.gate`).

Rules the parser enforces
-------------------------
* v1 is one ASCII line ``PROXY <TCP4|TCP6|UNKNOWN> src dst sport dport\\r\\n``
  of at most 107 bytes, fields separated by exactly one space; addresses
  must be valid for the family, ports decimal in 0..65535.  ``UNKNOWN``
  may carry anything up to the CRLF, which is ignored.
* v2 starts with the 12-byte signature, version nibble 2, command LOCAL or
  PROXY, a known family/transport byte and a big-endian length; the
  address block must fit in that length and the rest must be well-formed
  TLVs.  A ``PP2_TYPE_CRC32C`` TLV is checked (:mod:`gnet.proxy.checksum`).
  ``LOCAL`` headers (health checks from the proxy itself) carry no client:
  addresses are ignored.
* Anything else -- another first byte, a line too long, a bad field -- is a
  :class:`ProxyProtocolError` as soon as the bytes seen prove it, so a
  client that speaks no PROXY protocol is refused without waiting.

``parse(data)`` never consumes past the header: it returns the header and
the number of bytes it took, so whatever follows is application data.
"""

import ipaddress
import struct
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Tuple, Union

from .. import errors
from .checksum import crc32c

__all__ = ['ProxyHeader', 'ProxyProtocolError', 'HeaderParser', 'parse', 'encode',
           'encode_v1', 'encode_v2', 'V1_MAX_LENGTH', 'V2_SIGNATURE', 'V2_MAX_LENGTH',
           'PP2_TYPE_ALPN', 'PP2_TYPE_AUTHORITY', 'PP2_TYPE_CRC32C', 'PP2_TYPE_NOOP',
           'PP2_TYPE_UNIQUE_ID', 'PP2_TYPE_SSL', 'PP2_TYPE_NETNS', 'crc32c']

#: a v1 line, CRLF included, is at most this long (the spec's 107 bytes)
V1_MAX_LENGTH = 107
V1_PREFIX = b'PROXY '
#: the 12 bytes every v2 header starts with
V2_SIGNATURE = b'\r\n\r\n\x00\r\nQUIT\n'
V2_FIXED = 16
#: largest v2 header the parser accepts by default: the whole 16-bit length field
V2_MAX_LENGTH = V2_FIXED + 0xFFFF

PP2_TYPE_ALPN = 0x01
PP2_TYPE_AUTHORITY = 0x02
PP2_TYPE_CRC32C = 0x03
PP2_TYPE_NOOP = 0x04
PP2_TYPE_UNIQUE_ID = 0x05
PP2_TYPE_SSL = 0x20
PP2_TYPE_NETNS = 0x30

_V2_COMMANDS = {0x0: 'LOCAL', 0x1: 'PROXY'}
_V2_FAMILIES = {0x0: None, 0x1: 'IPv4', 0x2: 'IPv6', 0x3: 'unix'}
_V2_TRANSPORTS = {0x0: None, 0x1: 'stream', 0x2: 'dgram'}
_V2_ADDRESS_SIZES = {None: 0, 'IPv4': 12, 'IPv6': 36, 'unix': 216}
_UNIX_PATH_SIZE = 108


class ProxyProtocolError(errors.NodeError, ValueError):
    """A malformed PROXY header (``code`` ``'ERR_PROXY_PROTOCOL'``)."""

    code = 'ERR_PROXY_PROTOCOL'

    def __init__(self, message: str):
        errors.NodeError.__init__(self, 'invalid PROXY protocol header: ' + message)
        self.reason = message


class ProxyHeader(NamedTuple):
    """What a PROXY header says about the connection.

    ``family`` is ``'IPv4'``, ``'IPv6'``, ``'unix'`` (v2 only) or None (v1
    ``UNKNOWN``, v2 ``AF_UNSPEC``, and every ``LOCAL`` header);
    ``transport`` is ``'stream'``, ``'dgram'`` (v2) or None.  Addresses are
    normalised strings (Unix paths for ``'unix'``), ports ints; all four
    are None when ``family`` is None.  ``tlvs`` holds v2's
    ``(type, value)`` pairs in order.
    """

    version: int
    command: str = 'PROXY'
    family: Optional[str] = None
    transport: Optional[str] = None
    source_address: Optional[str] = None
    source_port: Optional[int] = None
    dest_address: Optional[str] = None
    dest_port: Optional[int] = None
    tlvs: Tuple[Tuple[int, bytes], ...] = ()

    @property
    def remote(self) -> Optional[Dict[str, Any]]:
        """The original client as a Socket reports a peer, or None if the header has none."""
        if self.command != 'PROXY' or self.family not in ('IPv4', 'IPv6'):
            return None
        return {'address': self.source_address, 'port': self.source_port, 'family': self.family}

    def tlv(self, kind: int) -> Optional[bytes]:
        """The value of the first TLV of type ``kind``, or None."""
        for tlv_type, value in self.tlvs:
            if tlv_type == kind:
                return value
        return None


# -- parsing ------------------------------------------------------------------------------
def parse(data: Union[bytes, bytearray, memoryview],
          max_v2_length: int = V2_MAX_LENGTH) -> Optional[Tuple[ProxyHeader, int]]:
    """``(header, bytes consumed)``, None if more bytes are needed, or raise.

    Raises :class:`ProxyProtocolError` as soon as ``data`` cannot be the
    start of a valid header.
    """
    data = bytes(data)
    if not data:
        return None
    if data[0:1] == b'P':
        return _parse_v1(data)
    if data[0:1] == b'\r':
        return _parse_v2(data, max_v2_length)
    raise ProxyProtocolError('no PROXY protocol signature')


class HeaderParser:
    """Incremental form of :func:`parse`: feed bytes as they come.

    ``feed(data)`` returns None while more bytes are needed, then
    ``(header, leftover)`` once -- ``leftover`` being the bytes fed after
    the header -- and raises :class:`ProxyProtocolError` on a bad header.
    """

    __slots__ = ('_buffer', '_max_v2_length', 'header')

    def __init__(self, max_v2_length: int = V2_MAX_LENGTH):
        self._buffer = bytearray()
        self._max_v2_length = max_v2_length
        self.header: Optional[ProxyHeader] = None  # set once complete

    def feed(self, data: Union[bytes, bytearray, memoryview]) -> Optional[Tuple[ProxyHeader, bytes]]:
        if self.header is not None:
            raise ValueError('the PROXY header is already complete')
        self._buffer += data
        result = parse(self._buffer, self._max_v2_length)
        if result is None:
            return None
        header, consumed = result
        self.header = header
        leftover = bytes(self._buffer[consumed:])
        self._buffer = bytearray()
        return header, leftover


def _parse_v1(data: bytes) -> Optional[Tuple[ProxyHeader, int]]:
    if not data.startswith(V1_PREFIX):
        if V1_PREFIX.startswith(data):
            return None
        raise ProxyProtocolError('no PROXY protocol signature')
    end = data.find(b'\r\n', 0, V1_MAX_LENGTH)
    if end < 0:
        newline = data.find(b'\n', 0, V1_MAX_LENGTH)
        if newline >= 0:
            raise ProxyProtocolError('v1 line ends without CRLF')
        if len(data) >= V1_MAX_LENGTH:
            raise ProxyProtocolError('v1 line longer than %d bytes' % V1_MAX_LENGTH)
        _check_v1_partial(data[len(V1_PREFIX):])
        return None
    try:
        line = data[len(V1_PREFIX):end].decode('ascii')
    except UnicodeDecodeError:
        raise ProxyProtocolError('v1 line is not ASCII') from None
    fields = line.split(' ')
    proto = fields[0]
    if proto == 'UNKNOWN':
        return ProxyHeader(1), end + 2
    if proto not in ('TCP4', 'TCP6'):
        raise ProxyProtocolError('unknown v1 protocol %r' % proto[:16])
    if len(fields) != 5:
        raise ProxyProtocolError('v1 %s line needs 4 fields, has %d' % (proto, len(fields) - 1))
    family = 'IPv4' if proto == 'TCP4' else 'IPv6'
    source = _ip(fields[1], family)
    dest = _ip(fields[2], family)
    return ProxyHeader(1, 'PROXY', family, 'stream', source, _port(fields[3]), dest,
                       _port(fields[4])), end + 2


def _check_v1_partial(rest: bytes) -> None:
    """Refuse an incomplete v1 line early when what came so far is already wrong."""
    if b'\r' in rest[:-1] or any(b > 0x7E or (b < 0x20 and b != 0x0D) for b in rest):
        raise ProxyProtocolError('v1 line has a control or non-ASCII byte')
    proto = rest.split(b' ', 1)[0]
    if b' ' in rest and proto not in (b'TCP4', b'TCP6', b'UNKNOWN'):
        raise ProxyProtocolError('unknown v1 protocol %r' % proto[:16].decode('ascii'))


def _ip(text: str, family: str) -> str:
    try:
        if family == 'IPv4':
            return str(ipaddress.IPv4Address(text))
        return _text6(ipaddress.IPv6Address(text))
    except ValueError:
        raise ProxyProtocolError('bad %s address %r' % (family, text[:48])) from None


def _text6(address: ipaddress.IPv6Address) -> str:
    """Compressed text, an IPv4-mapped address as ``::ffff:a.b.c.d`` (as Node shows it)."""
    mapped = address.ipv4_mapped
    return str(address) if mapped is None else '::ffff:%s' % mapped


def _port(text: str) -> int:
    if not text.isdigit() or not text.isascii() or len(text) > 5 or int(text) > 0xFFFF:
        raise ProxyProtocolError('bad port %r' % text[:16])
    return int(text)


def _parse_v2(data: bytes, max_length: int) -> Optional[Tuple[ProxyHeader, int]]:
    head = data[:len(V2_SIGNATURE)]
    if head != V2_SIGNATURE[:len(head)]:
        raise ProxyProtocolError('no PROXY protocol signature')
    if len(data) < V2_FIXED:
        _check_v2_fixed(data)
        return None
    _check_v2_fixed(data)
    command = _V2_COMMANDS[data[12] & 0x0F]
    family = _V2_FAMILIES[data[13] >> 4]
    transport = _V2_TRANSPORTS[data[13] & 0x0F]
    length = struct.unpack_from('!H', data, 14)[0]
    total = V2_FIXED + length
    if total > max_length:
        raise ProxyProtocolError('v2 header of %d bytes exceeds the limit of %d' % (total, max_length))
    if len(data) < total:
        return None
    body = data[V2_FIXED:total]
    size = _V2_ADDRESS_SIZES[family]
    if len(body) < size:
        if command == 'PROXY':
            raise ProxyProtocolError('v2 address block of %d bytes for %s, needs %d'
                                     % (len(body), family, size))
        size = 0  # LOCAL: the addresses are ignored anyway
    tlvs = _parse_tlvs(body[size:])
    _check_crc(data[:total], tlvs, size)
    if command == 'LOCAL' or family is None:
        return ProxyHeader(2, command, None, None if command == 'LOCAL' else transport,
                           tlvs=tlvs), total
    source, dest, sport, dport = _v2_addresses(family, body)
    return ProxyHeader(2, command, family, transport, source, sport, dest, dport, tlvs), total


def _check_v2_fixed(data: bytes) -> None:
    if len(data) > 12:
        if data[12] >> 4 != 2:
            raise ProxyProtocolError('unsupported v2 version %d' % (data[12] >> 4))
        if data[12] & 0x0F not in _V2_COMMANDS:
            raise ProxyProtocolError('unknown v2 command %d' % (data[12] & 0x0F))
    if len(data) > 13:
        if data[13] >> 4 not in _V2_FAMILIES:
            raise ProxyProtocolError('unknown v2 address family %d' % (data[13] >> 4))
        if data[13] & 0x0F not in _V2_TRANSPORTS:
            raise ProxyProtocolError('unknown v2 transport %d' % (data[13] & 0x0F))


def _v2_addresses(family: str, body: bytes) -> Tuple[str, str, Optional[int], Optional[int]]:
    if family == 'IPv4':
        src, dst, sport, dport = struct.unpack_from('!4s4sHH', body)
        return str(ipaddress.IPv4Address(src)), str(ipaddress.IPv4Address(dst)), sport, dport
    if family == 'IPv6':
        src, dst, sport, dport = struct.unpack_from('!16s16sHH', body)
        return _text6(ipaddress.IPv6Address(src)), _text6(ipaddress.IPv6Address(dst)), sport, dport
    return (_unix_path(body[:_UNIX_PATH_SIZE]), _unix_path(body[_UNIX_PATH_SIZE:2 * _UNIX_PATH_SIZE]),
            None, None)


def _unix_path(raw: bytes) -> str:
    return raw.split(b'\0', 1)[0].decode('utf-8', 'surrogateescape')


def _parse_tlvs(raw: bytes) -> Tuple[Tuple[int, bytes], ...]:
    tlvs: List[Tuple[int, bytes]] = []
    offset = 0
    while offset < len(raw):
        if len(raw) - offset < 3:
            raise ProxyProtocolError('truncated v2 TLV')
        kind, size = struct.unpack_from('!BH', raw, offset)
        offset += 3
        if len(raw) - offset < size:
            raise ProxyProtocolError('v2 TLV 0x%02x of %d bytes overruns the header' % (kind, size))
        tlvs.append((kind, raw[offset:offset + size]))
        offset += size
    return tuple(tlvs)


def _check_crc(header: bytes, tlvs: Tuple[Tuple[int, bytes], ...], address_size: int) -> None:
    """Verify a PP2_TYPE_CRC32C TLV: the checksum of the header with the field zeroed."""
    offset = V2_FIXED + address_size
    for kind, value in tlvs:
        if kind == PP2_TYPE_CRC32C:
            if len(value) != 4:
                raise ProxyProtocolError('v2 CRC32C TLV of %d bytes' % len(value))
            start = offset + 3
            zeroed = header[:start] + b'\0\0\0\0' + header[start + 4:]
            if crc32c(zeroed) != struct.unpack('!I', value)[0]:
                raise ProxyProtocolError('v2 CRC32C mismatch')
            return
        offset += 3 + len(value)


# -- encoding -----------------------------------------------------------------------------
def _families(source_address: Optional[str], dest_address: Optional[str],
              family: Optional[str] = None) -> Tuple[Optional[str], Any, Any]:
    """The header family and the two parsed addresses (v4 mapped into v6 when mixed).

    ``family='unix'`` takes the addresses as paths even where they read as
    IPs (``::`` is a valid Unix socket path); otherwise it is inferred.
    """
    if source_address is None and dest_address is None:
        return None, None, None
    if source_address is None or dest_address is None:
        raise errors.ERR_INVALID_ARG_VALUE('dest_address' if dest_address is None else 'source_address',
                                           None, 'must be given with the other address')
    if family == 'unix':
        return 'unix', source_address, dest_address
    try:
        src = ipaddress.ip_address(source_address)
        dst = ipaddress.ip_address(dest_address)
    except ValueError:
        return 'unix', source_address, dest_address
    if src.version == dst.version:
        return ('IPv4' if src.version == 4 else 'IPv6'), src, dst
    mapped = [ipaddress.IPv6Address('::ffff:' + str(a)) if a.version == 4 else a for a in (src, dst)]
    return 'IPv6', mapped[0], mapped[1]


def _check_port(name: str, port: Optional[int]) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 0xFFFF:
        raise errors.ERR_SOCKET_BAD_PORT(name, port)
    return port


def encode_v1(source_address: Optional[str] = None, source_port: Optional[int] = None,
              dest_address: Optional[str] = None, dest_port: Optional[int] = None) -> bytes:
    """A v1 line; with no addresses, ``PROXY UNKNOWN\\r\\n``.

    Mixed IPv4/IPv6 addresses are sent as TCP6 with the IPv4 one mapped
    (``::ffff:a.b.c.d``); Unix paths cannot be expressed in v1 (ValueError).
    """
    family, src, dst = _families(source_address, dest_address)
    if family is None:
        return b'PROXY UNKNOWN\r\n'
    if family == 'unix':
        raise errors.ERR_INVALID_ARG_VALUE('source_address', source_address,
                                           'must be an IP address for PROXY protocol v1')
    proto = 'TCP4' if family == 'IPv4' else 'TCP6'
    src, dst = (str(src), str(dst)) if family == 'IPv4' else (_text6(src), _text6(dst))
    line = 'PROXY %s %s %s %d %d\r\n' % (proto, src, dst, _check_port('source_port', source_port),
                                        _check_port('dest_port', dest_port))
    return line.encode('ascii')


def encode_v2(source_address: Optional[str] = None, source_port: Optional[int] = None,
              dest_address: Optional[str] = None, dest_port: Optional[int] = None, *,
              command: str = 'PROXY', transport: Optional[str] = 'stream',
              tlvs: Iterable[Tuple[int, bytes]] = (), checksum: bool = False,
              family: Optional[str] = None) -> bytes:
    """A v2 header.  No addresses (or ``command='LOCAL'``) means no client.

    Addresses that are not IPs are Unix paths (family ``AF_UNIX``), and so
    are any addresses with ``family='unix'``.  With ``checksum`` a
    ``PP2_TYPE_CRC32C`` TLV is appended.
    """
    if command not in ('PROXY', 'LOCAL'):
        raise errors.ERR_INVALID_ARG_VALUE('command', command, "must be 'PROXY' or 'LOCAL'")
    family, src, dst = ((None, None, None) if command == 'LOCAL'
                        else _families(source_address, dest_address, family))
    if family is None:
        body = b''
    elif family == 'unix':
        body = _unix_raw(src) + _unix_raw(dst)
    else:
        assert src is not None and dst is not None
        body = (src.packed + dst.packed
                + struct.pack('!HH', _check_port('source_port', source_port),
                              _check_port('dest_port', dest_port)))
    transports = {v: k for k, v in _V2_TRANSPORTS.items()}
    if transport not in transports:
        raise errors.ERR_INVALID_ARG_VALUE('transport', transport, "must be 'stream', 'dgram' or None")
    families = {v: k for k, v in _V2_FAMILIES.items()}
    fam_byte = (families[family] << 4) | (transports[transport] if family is not None else 0)
    for kind, value in tlvs:
        if not 0 <= kind <= 0xFF or len(value) > 0xFFFF:
            raise errors.ERR_INVALID_ARG_VALUE('tlvs', (kind, len(value)))
        body += struct.pack('!BH', kind, len(value)) + bytes(value)
    if checksum:
        body += struct.pack('!BH', PP2_TYPE_CRC32C, 4) + b'\0\0\0\0'
    if len(body) > 0xFFFF:
        raise errors.ERR_OUT_OF_RANGE('PROXY v2 header length', '<= 65535', len(body))
    cmd_byte = 0x20 | (0x1 if command == 'PROXY' else 0x0)
    header = V2_SIGNATURE + struct.pack('!BBH', cmd_byte, fam_byte, len(body)) + body
    if checksum:
        header = header[:-4] + struct.pack('!I', crc32c(header))
    return header


def _unix_raw(path: Any) -> bytes:
    raw = path.encode('utf-8', 'surrogateescape') if isinstance(path, str) else bytes(path)
    if len(raw) > _UNIX_PATH_SIZE or b'\0' in raw:
        raise errors.ERR_INVALID_ARG_VALUE('address', path, 'must be a Unix path of at most 108 bytes')
    return raw.ljust(_UNIX_PATH_SIZE, b'\0')


def encode(header: ProxyHeader) -> bytes:
    """The bytes of ``header`` in its own version (round-trips with :func:`parse`)."""
    if header.version == 1:
        if header.family is None:
            return encode_v1()
        return encode_v1(header.source_address, header.source_port, header.dest_address,
                         header.dest_port)
    if header.command == 'LOCAL' or header.family is None:
        # an AF_UNSPEC PROXY header carries no address block
        cmd = 0x20 | (0x1 if header.command == 'PROXY' else 0x0)
        transport = {None: 0, 'stream': 1, 'dgram': 2}[header.transport if header.command == 'PROXY'
                                                        else None]
        body = b''.join(struct.pack('!BH', k, len(v)) + v for k, v in header.tlvs)
        return V2_SIGNATURE + struct.pack('!BBH', cmd, transport, len(body)) + body
    return encode_v2(header.source_address, header.source_port, header.dest_address,
                     header.dest_port, transport=header.transport, tlvs=header.tlvs,
                     family=header.family)
