"""A server's first look at the ClientHello, before OpenSSL sees it (Node's ClientHelloParser).

Owns: :class:`ClientHelloParser` -- the bytes a client sent first, kept
until its ClientHello is complete, and what a session cache needs from it
(:class:`ClientHello`: the session ID, whether a session ticket came, the
server name).
Must not import: gevent, sockets, handles, streams, ctypes (pure).

Node parses the ClientHello itself when a server has session listeners:
``'resumeSession'`` is emitted with the session ID found there, and the
bytes go to OpenSSL only once the listener answers, so that the session it
returns is there for OpenSSL's lookup.  The parser reads TLS handshake
records (the ClientHello may span several) and stops at the first thing
that is not a well-formed ClientHello -- another record type, an SSLv2
hello, a length that does not add up, more than :data:`MAX_HELLO` bytes:
then there is no hello (``hello`` None) and the caller hands every byte to
OpenSSL untouched, which answers as it always does.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

__all__ = ['ClientHello', 'ClientHelloParser', 'MAX_HELLO']

#: a ClientHello longer than this is not parsed (OpenSSL gets it as it is)
MAX_HELLO = 65536
_HANDSHAKE = 22
_CLIENT_HELLO = 1
_EXT_SERVER_NAME = 0
_EXT_SESSION_TICKET = 35


class ClientHello(NamedTuple):
    """What a session cache reads of a ClientHello."""

    session_id: bytes
    has_ticket: bool     # a non-empty session ticket extension (RFC 5077)
    servername: str      # '' without SNI


class _Malformed(Exception):
    pass


class ClientHelloParser:
    """Feed it the first bytes of a connection; ``done`` once it knows (see the module
    docstring).  ``take()`` returns every byte fed, in order, for OpenSSL."""

    __slots__ = ('_buffer', 'done', 'hello')

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.done: bool = False
        self.hello: Optional[ClientHello] = None

    def feed(self, data: bytes) -> bool:
        """Add bytes that arrived; True once the hello was read or found missing."""
        self._buffer += data
        if not self.done:
            try:
                body = self._message()
            except _Malformed:
                self.done = True
            else:
                if body is not None:
                    self.done = True
                    try:
                        self.hello = parse_client_hello(body)
                    except (_Malformed, IndexError, UnicodeDecodeError):
                        self.hello = None
        return self.done

    def take(self) -> bytes:
        """Every byte fed so far (the parser keeps none)."""
        data, self._buffer = bytes(self._buffer), bytearray()
        return data

    def _message(self) -> Optional[bytes]:
        """The handshake message of the first records, or None if more bytes are needed."""
        buffer, offset, message = self._buffer, 0, bytearray()
        while True:
            if len(buffer) < offset + 5:
                self._check_start(buffer, offset)
                return None
            kind, major, length = buffer[offset], buffer[offset + 1], _u16(buffer, offset + 3)
            if kind != _HANDSHAKE or major != 3 or length == 0 or length > 16384 + 2048:
                raise _Malformed()
            if len(buffer) < offset + 5 + length:
                return None
            message += buffer[offset + 5:offset + 5 + length]
            offset += 5 + length
            if len(message) >= 4:
                if message[0] != _CLIENT_HELLO:
                    raise _Malformed()
                size = 4 + _u24(message, 1)
                if size > MAX_HELLO:
                    raise _Malformed()
                if len(message) >= size:
                    return bytes(message[4:size])

    @staticmethod
    def _check_start(buffer: bytearray, offset: int) -> None:
        """A partial record header that already cannot be a handshake record's."""
        if len(buffer) > offset and buffer[offset] != _HANDSHAKE:
            raise _Malformed()  # an SSLv2 hello (0x80 ...), plain text, an alert
        if len(buffer) > offset + 1 and buffer[offset + 1] != 3:
            raise _Malformed()


def _u16(data: bytes | bytearray, at: int) -> int:
    return (data[at] << 8) | data[at + 1]


def _u24(data: bytes | bytearray, at: int) -> int:
    return (data[at] << 16) | (data[at + 1] << 8) | data[at + 2]


def _vector(body: bytes, at: int, width: int) -> tuple[bytes, int]:
    """A length-prefixed field at ``at``: its bytes and the offset after it."""
    if at + width > len(body):
        raise _Malformed()
    size = body[at] if width == 1 else _u16(body, at)
    end = at + width + size
    if end > len(body):
        raise _Malformed()
    return body[at + width:end], end


def parse_client_hello(body: bytes) -> ClientHello:
    """The fields of a ClientHello message body (after its 4-byte header)."""
    at = 2 + 32  # client_version, random
    session_id, at = _vector(body, at, 1)
    if len(session_id) > 32:
        raise _Malformed()
    _suites, at = _vector(body, at, 2)
    _compression, at = _vector(body, at, 1)
    has_ticket, servername = False, ''
    if at < len(body):
        extensions, _ = _vector(body, at, 2)
        pos = 0
        while pos < len(extensions):
            if pos + 4 > len(extensions):
                raise _Malformed()
            kind = _u16(extensions, pos)
            data, pos = _vector(extensions, pos + 2, 2)
            if kind == _EXT_SESSION_TICKET:
                has_ticket = len(data) > 0
            elif kind == _EXT_SERVER_NAME and len(data) >= 5 and data[2] == 0:
                name, _ = _vector(data, 3, 2)
                servername = name.decode('ascii')
    return ClientHello(bytes(session_id), has_ticket, servername)
