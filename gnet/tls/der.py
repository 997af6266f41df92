"""A small DER reader: just enough ASN.1 to take an X.509 certificate apart.

Owns: splitting DER into TLVs, decoding OIDs, integers, strings and times,
and OpenSSL's names for the object identifiers a certificate dict shows
(attribute short names, curve names, access methods).
Must not import: gevent, greenlet, socket, ssl, gnet.net, gnet.runtime,
gnet.streams (pure: bytes in, values out).

Malformed input raises :class:`DERError` (a ``ValueError``).
"""

import datetime
from typing import Dict, Iterator, List, NamedTuple, Optional, Tuple

__all__ = ['DERError', 'TLV', 'read', 'children', 'oid', 'integer', 'string', 'time', 'ATTRIBUTE_NAMES',
           'CURVES', 'ACCESS_METHODS']

# universal tags
BOOLEAN, INTEGER, BIT_STRING, OCTET_STRING, NULL, OID = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06
UTF8, NUMERIC, PRINTABLE, T61, IA5, UTC_TIME, GENERALIZED_TIME = 0x0c, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18
VISIBLE, UNIVERSAL, BMP = 0x1a, 0x1c, 0x1e
SEQUENCE, SET = 0x30, 0x31


class DERError(ValueError):
    """The bytes are not the DER this reader expects."""


class TLV(NamedTuple):
    """One element: ``tag`` (the identifier octet), its ``value`` bytes and
    the whole encoding ``raw`` (tag, length and value)."""

    tag: int
    value: bytes
    raw: bytes


def read(data: bytes, pos: int = 0) -> TLV:
    """The element that starts at ``pos``."""
    element, _ = _read_at(data, pos)
    return element


def _read_at(data: bytes, pos: int) -> 'tuple[TLV, int]':
    if pos + 2 > len(data):
        raise DERError('truncated DER at %d' % pos)
    tag = data[pos]
    if tag & 0x1f == 0x1f:
        raise DERError('multi-byte tags are not supported')
    first = data[pos + 1]
    start = pos + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7f
        if count == 0 or count > 4 or start + count > len(data):
            raise DERError('bad DER length at %d' % pos)
        length = int.from_bytes(data[start:start + count], 'big')
        start += count
    end = start + length
    if end > len(data):
        raise DERError('DER element overruns its container at %d' % pos)
    return TLV(tag, data[start:end], data[pos:end]), end


def children(value: bytes) -> Iterator[TLV]:
    """The elements inside a constructed value, in order."""
    pos = 0
    while pos < len(value):
        element, pos = _read_at(value, pos)
        yield element


def expect(element: TLV, tag: int) -> TLV:
    if element.tag != tag:
        raise DERError('expected tag 0x%02x, found 0x%02x' % (tag, element.tag))
    return element


def oid(value: bytes) -> str:
    """An OBJECT IDENTIFIER's dotted form."""
    if not value:
        raise DERError('empty OID')
    arcs: List[int] = []
    acc = 0
    for byte in value:
        acc = (acc << 7) | (byte & 0x7f)
        if not byte & 0x80:
            arcs.append(acc)
            acc = 0
    first = min(arcs[0] // 40, 2)
    return '.'.join(str(a) for a in [first, arcs[0] - 40 * first] + arcs[1:])


def integer(value: bytes) -> int:
    return int.from_bytes(value, 'big', signed=True)


def string(element: TLV) -> str:
    """A string value as ``ASN1_STRING_to_UTF8`` gives it (T61 is Latin-1)."""
    tag, value = element.tag, element.value
    if tag == UTF8:
        return value.decode('utf-8', 'replace')
    if tag == BMP:
        return value.decode('utf-16-be', 'replace')
    if tag == UNIVERSAL:
        return value.decode('utf-32-be', 'replace')
    return value.decode('latin-1')


_MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')


def time(element: TLV) -> 'tuple[datetime.datetime, str]':
    """A UTCTime or GeneralizedTime: the UTC datetime and its text as
    OpenSSL's ``ASN1_TIME_print`` writes it (``'Dec  4 10:00:00 2026 GMT'``)."""
    text = element.value.decode('ascii', 'replace')
    if not text.endswith('Z'):
        raise DERError('time without Z: %r' % text)
    body = text[:-1]
    if element.tag == UTC_TIME:
        year = int(body[:2])
        body = ('20' if year < 50 else '19') + body
    elif element.tag != GENERALIZED_TIME:
        raise DERError('not a time (tag 0x%02x)' % element.tag)
    digits, _, fraction = body.partition('.')
    if len(digits) != 14 or not digits.isdigit():
        raise DERError('bad time %r' % text)
    when = datetime.datetime(int(digits[:4]), int(digits[4:6]), int(digits[6:8]), int(digits[8:10]),
                             int(digits[10:12]), int(digits[12:14]), tzinfo=datetime.timezone.utc)
    frac = '.' + fraction if fraction and element.tag == GENERALIZED_TIME else ''
    shown = '%s %2d %02d:%02d:%02d%s %d GMT' % (_MONTHS[when.month - 1], when.day, when.hour, when.minute,
                                                when.second, frac, when.year)
    return when, shown


# OpenSSL's short names (OBJ_nid2sn) for name attribute types; others show dotted.
ATTRIBUTE_NAMES = {
    '2.5.4.3': 'CN', '2.5.4.4': 'SN', '2.5.4.5': 'serialNumber', '2.5.4.6': 'C', '2.5.4.7': 'L',
    '2.5.4.8': 'ST', '2.5.4.9': 'street', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.12': 'title',
    '2.5.4.13': 'description', '2.5.4.15': 'businessCategory', '2.5.4.16': 'postalAddress',
    '2.5.4.17': 'postalCode', '2.5.4.18': 'postOfficeBox', '2.5.4.20': 'telephoneNumber', '2.5.4.41': 'name',
    '2.5.4.42': 'GN', '2.5.4.43': 'initials', '2.5.4.44': 'generationQualifier',
    '2.5.4.45': 'x500UniqueIdentifier', '2.5.4.46': 'dnQualifier', '2.5.4.54': 'dmdName', '2.5.4.65': 'pseudonym',
    '2.5.4.72': 'role', '2.5.4.97': 'organizationIdentifier', '1.2.840.113549.1.9.1': 'emailAddress',
    '1.2.840.113549.1.9.2': 'unstructuredName', '0.9.2342.19200300.100.1.1': 'UID',
    '0.9.2342.19200300.100.1.25': 'DC', '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
    '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST', '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
}

# named curve OID -> (OBJ_nid2sn, EC_curve_nid2nist or None, order bits)
CURVES: Dict[str, Tuple[str, Optional[str], int]] = {
    '1.2.840.10045.3.1.7': ('prime256v1', 'P-256', 256), '1.3.132.0.34': ('secp384r1', 'P-384', 384),
    '1.3.132.0.35': ('secp521r1', 'P-521', 521), '1.3.132.0.33': ('secp224r1', 'P-224', 224),
    '1.2.840.10045.3.1.1': ('prime192v1', 'P-192', 192), '1.3.132.0.10': ('secp256k1', None, 256),
    '1.3.36.3.3.2.8.1.1.7': ('brainpoolP256r1', None, 256), '1.3.36.3.3.2.8.1.1.11': ('brainpoolP384r1', None, 384),
    '1.3.36.3.3.2.8.1.1.13': ('brainpoolP512r1', None, 512),
}

# access methods as i2t_ASN1_OBJECT names them (long names)
ACCESS_METHODS = {
    '1.3.6.1.5.5.7.48.1': 'OCSP', '1.3.6.1.5.5.7.48.2': 'CA Issuers', '1.3.6.1.5.5.7.48.3': 'AD Time Stamping',
    '1.3.6.1.5.5.7.48.5': 'CA Repository',
}


def optional_child(items: List[TLV], tag: int) -> Optional[TLV]:
    """The first of ``items`` with ``tag``, or None."""
    for item in items:
        if item.tag == tag:
            return item
    return None
