"""Node's string encodings for Buffers, shared by the stream modules.

Owns: the encoding names Node accepts (``utf8``/``utf-8``, ``latin1``/``binary``,
``ascii``, ``hex``, ``base64``, ``base64url``, ``utf16le``/``utf-16le``/
``ucs2``/``ucs-2``, case-insensitive), their normalisation (Node's
``StringDecoder(enc).encoding`` spelling), ``encode(str, enc) -> bytes`` with
Node's lenient rules, whole-buffer ``decode`` and the incremental decoders
used by ``Readable.set_encoding`` (Node's ``string_decoder``).
Must not import: gevent, greenlet, socket, the loop, streams (pure module).

Node's rules reproduced here (checked with node 20):

* ``utf8`` encodes a lone surrogate as U+FFFD and decodes invalid sequences
  to U+FFFD (one per maximal invalid subpart, like Python's ``replace``).
* ``latin1``/``binary`` and ``ascii`` encode by keeping the low byte of each
  UTF-16 code unit; ``ascii`` decodes by clearing the high bit.
* ``hex`` decodes pairs up to the first invalid pair; an odd tail is dropped.
* ``base64``/``base64url`` decode either alphabet, skip characters outside it
  and stop at the first ``=``.
* ``hex`` and ``base64`` read a character beyond U+00FF by the low byte of
  its UTF-16 code unit(s) (``'Ł'`` is ``'A'``); both take a stdlib fast path
  (``bytes.fromhex``, strict ``binascii.a2b_base64``) when the input is
  one the stdlib decodes exactly as Node does.
* An unknown name raises ``ERR_UNKNOWN_ENCODING``.
"""

import base64
import binascii
import codecs
import re
import sys
from typing import Any, Callable, Dict, Optional

from .. import errors
from ..naming import node_aliases

__all__ = ['normalize', 'is_encoding', 'check', 'encode', 'decode', 'decoder',
           'Decoder', 'ENCODINGS']

#: every accepted spelling (lower case) -> Node's canonical name
_ALIASES: Dict[str, str] = {
    'utf8': 'utf8', 'utf-8': 'utf8',
    'latin1': 'latin1', 'binary': 'latin1',
    'ascii': 'ascii',
    'hex': 'hex',
    'base64': 'base64',
    'base64url': 'base64url',
    'utf16le': 'utf16le', 'utf-16le': 'utf16le', 'ucs2': 'utf16le', 'ucs-2': 'utf16le',
}

#: the canonical names
ENCODINGS = frozenset(_ALIASES.values())


def normalize(encoding: Any) -> Optional[str]:
    """The canonical name of ``encoding`` (``'UTF-8'`` -> ``'utf8'``), or None if unknown."""
    if encoding.__class__ is not str:
        return None
    found = _ALIASES.get(encoding)
    if found is None:
        found = _ALIASES.get(encoding.lower())
    return found


def is_encoding(encoding: Any) -> bool:
    """Node's ``Buffer.isEncoding``."""
    return normalize(encoding) is not None


def check(encoding: Any) -> str:
    """Normalise ``encoding`` or raise ``ERR_UNKNOWN_ENCODING``."""
    found = normalize(encoding)
    if found is None:
        raise errors.ERR_UNKNOWN_ENCODING(encoding)
    return found


# -- encoding str -> bytes -----------------------------------------------------------
def _enc_utf8(text: str) -> bytes:
    try:
        return text.encode('utf-8')
    except UnicodeEncodeError:  # lone surrogates: Node writes U+FFFD
        return text.encode('utf-16-le', 'surrogatepass').decode('utf-16-le', 'replace').encode('utf-8')


def _enc_low_byte(text: str) -> bytes:
    try:
        return text.encode('latin-1')
    except UnicodeEncodeError:  # keep the low byte of each UTF-16 code unit
        return text.encode('utf-16-le', 'surrogatepass')[::2]


def _enc_utf16le(text: str) -> bytes:
    return text.encode('utf-16-le', 'surrogatepass')


# hex and base64: a fast path through the stdlib for input it decodes exactly
# as Node does (the common case: what Node or Python encoded), else Node's
# lenient rules, applied to the low byte of each UTF-16 code unit (what Node
# reads of a character beyond U+00FF: 'İ' is '0' to its hex decoder).
_HEX_RUN = re.compile(b'[0-9a-fA-F]*')


def _hex_fast(text: str) -> Optional[bytes]:
    """Hex digits only, an even count: ``bytes.fromhex``; else None."""
    try:
        out = bytes.fromhex(text)
    except ValueError:  # a non-hex character or an odd digit
        return None
    # fromhex skips whitespace, Node stops there: a byte per two characters proves none
    return out if 2 * len(out) == len(text) else None


def _hex_lenient(text: str) -> bytes:
    """Node's hex decoding: whole pairs, up to the first pair with a non-hex digit."""
    data = _enc_low_byte(text)
    end = len(data) - (len(data) & 1)
    valid = _HEX_RUN.match(data, 0, end).end()  # type: ignore[union-attr]  # '*' always matches
    return binascii.a2b_hex(data[:valid - (valid & 1)])


def _enc_hex(text: str) -> bytes:
    out = _hex_fast(text)
    return _hex_lenient(text) if out is None else out


_B64_ALPHABET = b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
#: base64url's two letters -> base64's (Node decodes either alphabet, even mixed)
_B64_URL = bytes.maketrans(b'-_', b'+/')
#: the bytes Node's base64 decoder skips
_B64_SKIP = bytes(sorted(set(range(256)) - set(_B64_ALPHABET + b'-_')))
_STRICT_B64 = sys.version_info >= (3, 11)  # binascii's strict_mode


def _base64_fast(text: str) -> Optional[bytes]:
    """Canonical base64 or base64url, padded or not: the stdlib's strict decoder; else None.

    Strict means: only alphabet characters, then at most the padding that
    completes the last group, as Node reads them.  Anything else (white
    space, junk, data after ``=``, a lone trailing sextet) is left to
    :func:`_base64_lenient`.
    """
    data = _enc_low_byte(text).translate(_B64_URL)
    if len(data) & 3 and not data.endswith(b'='):
        data += b'=' * (-len(data) % 4)  # Node needs no padding; the stdlib does
    try:
        if _STRICT_B64:
            return binascii.a2b_base64(data, strict_mode=True)  # type: ignore[call-arg,unused-ignore]
        return base64.b64decode(data, validate=True)
    except binascii.Error:
        return None


def _base64_lenient(text: str) -> bytes:
    """Node's base64 decoding: either alphabet, other characters skipped, stop at the first ``=``."""
    data = _enc_low_byte(text)
    stop = data.find(b'=')
    if stop >= 0:
        data = data[:stop]
    clean = data.translate(_B64_URL, _B64_SKIP)
    if len(clean) % 4 == 1:  # a lone sextet carries no whole byte
        clean = clean[:-1]
    clean += b'=' * (-len(clean) % 4)
    return binascii.a2b_base64(clean) if clean else b''


def _enc_base64(text: str) -> bytes:
    out = _base64_fast(text)
    return _base64_lenient(text) if out is None else out


_ENCODERS: Dict[str, Callable[[str], bytes]] = {
    'utf8': _enc_utf8, 'latin1': _enc_low_byte, 'ascii': _enc_low_byte,
    'utf16le': _enc_utf16le, 'hex': _enc_hex, 'base64': _enc_base64, 'base64url': _enc_base64,
}


def encode(text: str, encoding: Optional[str] = 'utf8') -> bytes:
    """``Buffer.from(text, encoding)``; ``encoding`` None means utf8."""
    if encoding is None or encoding == 'utf8':
        try:
            return text.encode('utf-8')
        except UnicodeEncodeError:
            return _enc_utf8(text)
    return _ENCODERS[check(encoding)](text)


# -- decoding bytes -> str -----------------------------------------------------------
def _dec_ascii(data: bytes) -> str:
    try:
        return data.decode('ascii')
    except UnicodeDecodeError:
        return bytes(b & 0x7F for b in data).decode('ascii')


def _dec_base64url(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode('ascii').rstrip('=') \
        .replace('+', '-').replace('/', '_')


_DECODERS: Dict[str, Callable[[bytes], str]] = {
    'utf8': lambda data: data.decode('utf-8', 'replace'),
    'latin1': lambda data: data.decode('latin-1'),
    'ascii': _dec_ascii,
    'utf16le': lambda data: data[:len(data) & ~1].decode('utf-16-le', 'surrogatepass'),
    'hex': lambda data: data.hex(),
    'base64': lambda data: binascii.b2a_base64(data, newline=False).decode('ascii'),
    'base64url': _dec_base64url,
}


def decode(data: Any, encoding: Optional[str] = 'utf8') -> str:
    """``buf.toString(encoding)`` for a whole buffer."""
    return _DECODERS[check(encoding or 'utf8')](bytes(data))


@node_aliases
class Decoder:
    """Node's ``StringDecoder``: ``write(bytes) -> str``, ``end(bytes=None) -> str``.

    A multi-byte character (or base64 group) split across writes is held
    back until it is complete, so concatenating the outputs equals decoding
    the concatenated input.
    """

    __slots__ = ('encoding', '_inc', '_whole', '_group', '_rest')

    def __init__(self, encoding: Optional[str] = 'utf8'):
        self.encoding: str = check(encoding or 'utf8')  # Node's canonical spelling
        self._inc: Optional[codecs.IncrementalDecoder] = None  # utf8, utf16le
        self._whole = _DECODERS[self.encoding]
        self._group = 0               # base64: bytes per output group, else 0
        self._rest = b''              # base64: bytes held back
        if self.encoding == 'utf8':
            self._inc = codecs.getincrementaldecoder('utf-8')('replace')
        elif self.encoding == 'utf16le':
            self._inc = codecs.getincrementaldecoder('utf-16-le')('surrogatepass')
        elif self.encoding in ('base64', 'base64url'):
            self._group = 3

    def write(self, data: Any) -> str:
        if self._inc is not None:
            return self._inc.decode(data)
        if self._group:
            data = self._rest + bytes(data)
            cut = len(data) - len(data) % 3
            self._rest = data[cut:]
            return self._whole(data[:cut]) if cut else ''
        return self._whole(data)

    def end(self, data: Any = None) -> str:
        out = self.write(data) if data else ''
        if self._inc is not None:
            try:
                out += self._inc.decode(b'', True)
            except UnicodeDecodeError:  # utf16le: an odd trailing byte
                out += '\ufffd'
            self._inc.reset()
        elif self._group and self._rest:
            out += self._whole(self._rest)
            self._rest = b''
        return out


def decoder(encoding: Optional[str] = 'utf8') -> Decoder:
    """A new incremental decoder (raises ``ERR_UNKNOWN_ENCODING``)."""
    return Decoder(encoding)
