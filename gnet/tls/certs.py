"""A certificate as Node's ``getPeerCertificate([detailed])`` dict.

Owns: turning DER certificates into Node's legacy certificate object
(``X509ToObject`` and ``GetPeerCert`` in Node's ``src/crypto/crypto_common.cc``
plus ``translatePeerCertificate`` in ``lib/_tls_common.js``): ``subject``,
``issuer``, ``subjectaltname``, ``infoAccess``, ``ca``, the key fields,
``valid_from``/``valid_to``, fingerprints, ``ext_key_usage``,
``serialNumber``, ``raw``, and with ``detailed`` the ``issuerCertificate``
chain; and OpenSSL's "is this issued by that" test the chain is built with.
Must not import: gevent, greenlet, socket, ssl, gnet.net, gnet.runtime,
gnet.streams (pure: DER bytes in, dicts out).

Why a DER reader of our own (:mod:`gnet.tls.der`) and not libcrypto: Node
formats these fields with its own code (its escaping of alt names, its
``infoAccess`` text, its fingerprint and serial spelling), so the work is in
the formatting either way; pure Python keeps that free of manual memory
management and of private CPython helpers (``_ssl._test_decode_cert`` gives
neither the key nor the raw extensions).

Where Node's JS object holds ``undefined`` (no SAN, no AIA, no EKU, a curve
without a NIST name) the dict has no key.  ``raw`` and ``pubkey`` are bytes.
"""

import datetime
import hashlib
import json
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import der
from .der import TLV

__all__ = ['Certificate', 'peer_certificate', 'certificate_dict']

CertDict = Dict[str, Any]

_EKU, _SAN, _AIA, _BC, _KU = '2.5.29.37', '2.5.29.17', '1.3.6.1.5.5.7.1.1', '2.5.29.19', '2.5.29.15'
_SKI, _AKI = '2.5.29.14', '2.5.29.35'
_RSA, _EC = '1.2.840.113549.1.1.1', '1.2.840.10045.2.1'
_OTHERNAMES = {  # othername types Node prints: OID -> (prefix, UTF8String? else IA5String)
    '1.3.6.1.5.5.7.8.9': ('SmtpUTF8Mailbox', True), '1.3.6.1.5.5.7.8.5': ('XmppAddr', True),
    '1.3.6.1.5.5.7.8.7': ('SRVName', False), '1.3.6.1.4.1.311.20.2.3': ('UPN', True),
    '1.3.6.1.5.5.7.8.8': ('NAIRealm', True),
}


class Certificate:
    """One parsed certificate (``der`` bytes); :meth:`to_dict` is Node's object."""

    der: bytes
    sig_alg: str
    serial: int
    issuer_raw: bytes
    subject_raw: bytes
    issuer_entries: List[Tuple[str, TLV]]
    subject_entries: List[Tuple[str, TLV]]
    not_before: datetime.datetime
    valid_from: str
    not_after: datetime.datetime
    valid_to: str
    spki: TLV

    def __init__(self, der_bytes: bytes) -> None:
        self.der = bytes(der_bytes)
        outer = list(der.children(der.expect(der.read(self.der), der.SEQUENCE).value))
        if len(outer) != 3:
            raise der.DERError('a certificate is a SEQUENCE of three')
        self.sig_alg = der.oid(der.read(outer[1].value).value)
        tbs = list(der.children(der.expect(outer[0], der.SEQUENCE).value))
        if tbs and tbs[0].tag == 0xa0:  # [0] EXPLICIT version
            tbs = tbs[1:]
        self.serial = der.integer(der.expect(tbs[0], der.INTEGER).value)
        self.issuer_raw, self.subject_raw = tbs[2].raw, tbs[4].raw
        self.issuer_entries = _name_entries(tbs[2])
        self.subject_entries = _name_entries(tbs[4])
        times = list(der.children(tbs[3].value))
        self.not_before, self.valid_from = der.time(times[0])
        self.not_after, self.valid_to = der.time(times[1])
        self.spki = tbs[5]
        self.extensions: Dict[str, bytes] = {}
        exts = der.optional_child(tbs[6:], 0xa3)
        if exts is not None:
            for ext in der.children(der.read(exts.value).value):
                parts = list(der.children(ext.value))
                self.extensions.setdefault(der.oid(parts[0].value), parts[-1].value)
        self._dict: Optional[CertDict] = None

    # -- OpenSSL's view of the extensions --------------------------------

    def _ext(self, oid: str) -> Optional[TLV]:
        value = self.extensions.get(oid)
        return None if value is None else der.read(value)

    def key_usage_allows_cert_sign(self) -> bool:
        ku = self._ext(_KU)
        if ku is None or len(ku.value) < 2:
            return ku is None
        return bool(ku.value[1] & 0x04)  # bit 5, keyCertSign

    def is_ca(self) -> bool:
        """``X509_check_ca(cert) == 1``: basicConstraints says CA and keyUsage,
        if present, allows certificate signing."""
        bc = self._ext(_BC)
        if bc is None or not self.key_usage_allows_cert_sign():
            return False
        items = list(der.children(bc.value))
        return bool(items and items[0].tag == der.BOOLEAN and items[0].value != b'\x00')

    def key_ids(self) -> Tuple[Optional[bytes], Optional[bytes], Optional[int]]:
        """(subject key id, authority key id, authority cert serial)."""
        ski = self._ext(_SKI)
        akid = serial = None
        aki = self._ext(_AKI)
        if aki is not None:
            for item in der.children(aki.value):
                if item.tag == 0x80:
                    akid = item.value
                elif item.tag == 0x82:
                    serial = der.integer(item.value)
        return (None if ski is None else ski.value), akid, serial

    def key_type(self) -> str:
        return der.oid(der.read(next(der.children(self.spki.value)).value).value)

    # -- Node's object ----------------------------------------------------

    def to_dict(self) -> CertDict:
        """Node's legacy object for this certificate (a fresh copy each call)."""
        if self._dict is None:
            self._dict = self._build()
        return {k: (dict(v) if isinstance(v, dict) else v) for k, v in self._dict.items()}

    def _build(self) -> CertDict:
        out: CertDict = {'subject': _name_object(self.subject_entries), 'issuer': _name_object(self.issuer_entries)}
        san = self._ext(_SAN)
        if san is not None:
            out['subjectaltname'] = ', '.join(_general_name(g) for g in der.children(san.value))
        aia = self._ext(_AIA)
        if aia is not None:
            out['infoAccess'] = _translate_info_access(_info_access(aia))
        out['ca'] = self.is_ca()
        out.update(_key_fields(self.spki))
        out['valid_from'], out['valid_to'] = self.valid_from, self.valid_to
        for key, algo in (('fingerprint', 'sha1'), ('fingerprint256', 'sha256'), ('fingerprint512', 'sha512')):
            out[key] = ':'.join('%02X' % b for b in hashlib.new(algo, self.der).digest())
        eku = self._ext(_EKU)
        if eku is not None:
            out['ext_key_usage'] = [der.oid(item.value) for item in der.children(eku.value)]
        out['serialNumber'] = _bn2hex(self.serial)
        out['raw'] = self.der
        return out


def _name_entries(name: TLV) -> List[Tuple[str, TLV]]:
    entries = []
    for rdn in der.children(der.expect(name, der.SEQUENCE).value):
        for ava in der.children(rdn.value):
            type_, value = list(der.children(ava.value))[:2]
            entries.append((der.oid(type_.value), value))
    return entries


def _name_object(entries: List[Tuple[str, TLV]]) -> Dict[str, Any]:
    """Node's GetX509NameObject: short names as keys, a list where one repeats."""
    out: Dict[str, Any] = {}
    for oid, value in entries:
        key = der.ATTRIBUTE_NAMES.get(oid, oid)
        text = der.string(value)
        if key not in out:
            out[key] = text
        elif isinstance(out[key], list):
            out[key].append(text)
        else:
            out[key] = [out[key], text]
    return out


def _canonical_name(entries: List[Tuple[str, TLV]]) -> List[Tuple[str, str]]:
    """Roughly X509_NAME_cmp's canonical form: strings case-folded and
    whitespace-collapsed."""
    return [(oid, ' '.join(der.string(v).lower().split()) if v.tag in _STRING_TAGS else v.raw.hex())
            for oid, v in entries]


_STRING_TAGS = {der.UTF8, der.NUMERIC, der.PRINTABLE, der.T61, der.IA5, der.VISIBLE, der.UNIVERSAL, der.BMP}


# -- alt names: Node's PrintGeneralName / PrintAltName ---------------------

def _is_safe(text: bytes, utf8: bool) -> bool:
    for c in text:
        if c in b'"\\,\'':
            return False
        if utf8 and (c < 0x20 or c == 0x7f):
            return False
        if not utf8 and (c < 0x20 or c > 0x7e):
            return False
    return True


def _alt_name(text: bytes, utf8: bool, prefix: Optional[str] = None) -> str:
    if _is_safe(text, utf8):
        shown = text.decode('utf-8', 'replace') if utf8 else text.decode('latin-1')
        return shown if prefix is None else prefix + ':' + shown
    out = ['"'] + ([prefix + ':'] if prefix is not None else [])
    pending = bytearray()  # UTF-8 bytes with the MSB set pass through as they are
    for c in text:
        if utf8 and c & 0x80:
            pending.append(c)
            continue
        if pending:
            out.append(pending.decode('utf-8', 'replace'))
            pending.clear()
        if c in b'"\\':
            out.append('\\' + chr(c))
        elif 0x20 <= c <= 0x7e and c != 0x2c:
            out.append(chr(c))
        else:
            out.append('\\u00%02x' % c)
    if pending:
        out.append(pending.decode('utf-8', 'replace'))
    return ''.join(out) + '"'


def _general_name(g: TLV) -> str:
    tag = g.tag
    if tag == 0x82:
        return 'DNS:' + _alt_name(g.value, False)
    if tag == 0x81:
        return 'email:' + _alt_name(g.value, False)
    if tag == 0x86:
        return 'URI:' + _alt_name(g.value, False)
    if tag == 0x87:
        return 'IP Address:' + _ip_text(g.value)
    if tag == 0x88:
        return 'Registered ID:' + der.oid(g.value)
    if tag == 0xa4:
        return 'DirName:' + _alt_name(_rfc2253(_name_entries(der.read(g.value))).encode('utf-8'), True)
    if tag == 0xa0:
        parts = list(der.children(g.value))
        known = _OTHERNAMES.get(der.oid(parts[0].value)) if parts else None
        inner = der.read(parts[1].value) if len(parts) > 1 and parts[1].tag == 0xa0 else None
        if known is None or inner is None or inner.tag != (der.UTF8 if known[1] else der.IA5):
            return 'othername:<unsupported>'
        return 'othername:' + _alt_name(inner.value, known[1], known[0])
    if tag == 0xa3:
        return 'X400Name:<unsupported>'
    if tag == 0xa5:
        return 'EdiPartyName:<unsupported>'
    raise der.DERError('unknown GeneralName tag 0x%02x' % tag)


def _ip_text(b: bytes) -> str:
    if len(b) == 4:
        return '%d.%d.%d.%d' % tuple(b)
    if len(b) == 16:
        return ':'.join('%X' % int.from_bytes(b[i:i + 2], 'big') for i in range(0, 16, 2))
    return '<invalid length=%d>' % len(b)


def _rfc2253(entries: List[Tuple[str, TLV]]) -> str:
    """X509_NAME_print_ex with RFC 2253 flags (UTF-8 kept), approximately:
    last RDN first, special characters backslash-escaped."""
    parts = []
    for oid, value in reversed(entries):
        text = der.string(value) if value.tag in _STRING_TAGS else '#' + value.raw.hex().upper()
        text = re.sub(r'([,+"\\<>;])', r'\\\1', text)
        if text.startswith((' ', '#')) and value.tag in _STRING_TAGS:
            text = '\\' + text
        if text.endswith(' '):
            text = text[:-1] + '\\ '
        parts.append('%s=%s' % (der.ATTRIBUTE_NAMES.get(oid, oid), text))
    return ','.join(parts)


def _info_access(aia: TLV) -> str:
    """Node's SafeX509InfoAccessPrint text."""
    lines = []
    for desc in der.children(aia.value):
        method, location = list(der.children(desc.value))[:2]
        dotted = der.oid(method.value)
        lines.append('%s - %s' % (der.ACCESS_METHODS.get(dotted, dotted), _general_name(location)))
    return '\n'.join(lines)


def _translate_info_access(text: str) -> Dict[str, List[str]]:
    """translatePeerCertificate: ``'key:value'`` lines into lists by key."""
    out: Dict[str, List[str]] = {}
    for match in re.finditer(r'([^\n:]*):([^\n]*)(?:\n|$)', text):
        key, value = match.group(1), match.group(2)
        if value.startswith('"'):
            value = json.loads(value)
        out.setdefault(key, []).append(value)
    return out


# -- keys and numbers ------------------------------------------------------

def _key_fields(spki: TLV) -> CertDict:
    alg_tlv, bits_tlv = list(der.children(spki.value))[:2]
    alg = list(der.children(alg_tlv.value))
    key_oid = der.oid(alg[0].value)
    point = bits_tlv.value[1:]  # drop the unused-bits octet
    if key_oid == _RSA:
        n_tlv, e_tlv = list(der.children(der.read(point).value))[:2]
        n, e = der.integer(n_tlv.value), der.integer(e_tlv.value)
        return {'modulus': '%X' % n, 'bits': n.bit_length(), 'exponent': '0x%x' % e, 'pubkey': spki.raw}
    if key_oid == _EC and len(alg) > 1 and alg[1].tag == der.OID:
        curve = der.CURVES.get(der.oid(alg[1].value))
        if curve is None:
            return {'pubkey': point}
        out: CertDict = {'bits': curve[2], 'pubkey': point, 'asn1Curve': curve[0]}
        if curve[1] is not None:
            out['nistCurve'] = curve[1]
        return out
    return {}


def _bn2hex(value: int) -> str:
    """BN_bn2hex: upper-case hex in whole bytes, ``'0'`` for zero."""
    if value == 0:
        return '0'
    digits = '%X' % abs(value)
    if len(digits) % 2:
        digits = '0' + digits
    return ('-' if value < 0 else '') + digits


# -- issuers: X509_check_issued and Node's GetPeerCert ----------------------

_SIG_KEY_TYPES = {'1.2.840.10045.4': _EC, '1.2.840.113549.1.1': _RSA}


def likely_issued(issuer: Certificate, subject: Certificate) -> bool:
    """ossl_x509_likely_issued: names match, key ids agree, the signature
    algorithm fits the issuer's key type."""
    if _canonical_name(issuer.subject_entries) != _canonical_name(subject.issuer_entries):
        return False
    ski, _, _ = issuer.key_ids()
    _, akid, akid_serial = subject.key_ids()
    if akid is not None and ski is not None and akid != ski:
        return False
    if akid_serial is not None and akid_serial != issuer.serial:
        return False
    family = subject.sig_alg.rsplit('.', 1)[0]
    expected = _SIG_KEY_TYPES.get(family)
    return expected is None or expected == issuer.key_type()


def check_issued(issuer: Certificate, subject: Certificate) -> bool:
    """``X509_check_issued(issuer, subject) == X509_V_OK``: as
    :func:`likely_issued`, and the issuer's key usage allows signing certs."""
    return likely_issued(issuer, subject) and issuer.key_usage_allows_cert_sign()


def _store_issuer(trusted: Sequence[Certificate], cert: Certificate) -> Optional[Certificate]:
    """SSL_CTX_get_issuer: the first trusted match, one valid now preferred."""
    now = datetime.datetime.now(datetime.timezone.utc)
    found = [t for t in trusted if likely_issued(t, cert)]
    for candidate in found:
        if candidate.not_before <= now <= candidate.not_after:
            return candidate
    return found[0] if found else None


def peer_certificate(chain_der: Sequence[bytes], detailed: bool = False,
                     trusted_der: Sequence[bytes] = ()) -> CertDict:
    """Node's ``getPeerCertificate(detailed)`` for a peer that sent
    ``chain_der`` (leaf first; ``{}`` when it sent nothing).  With
    ``detailed``, ``issuerCertificate`` links each certificate to its issuer
    among the ones the peer sent, then among ``trusted_der`` (the context's
    CA certificates, as Node asks its SSL_CTX store); a self-signed top
    refers to itself (the very same dict)."""
    if not chain_der:
        return {}
    certs = [Certificate(d) for d in chain_der]
    current = certs[0]
    result = current.to_dict()
    if not detailed:
        return result
    node = result
    remaining = certs[1:]
    while True:  # AddIssuerChainToObject
        index = next((i for i, ca in enumerate(remaining) if check_issued(ca, current)), None)
        if index is None:
            break
        current = remaining.pop(index)
        node['issuerCertificate'] = node = current.to_dict()
    store = [Certificate(d) for d in trusted_der]
    while not check_issued(current, current):  # GetLastIssuedCert
        ca = _store_issuer(store, current)
        if ca is None:
            break
        node['issuerCertificate'] = node = ca.to_dict()
        if ca is current:
            break
        current = ca
    if check_issued(current, current):
        node['issuerCertificate'] = node
    return result


def certificate_dict(der_bytes: Optional[bytes]) -> CertDict:
    """One certificate's dict (Node's ``getCertificate()``), ``{}`` for None."""
    return Certificate(der_bytes).to_dict() if der_bytes else {}
