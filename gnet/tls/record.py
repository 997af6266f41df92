"""The TLS record layer of one connection, with no I/O: ciphertext in, plaintext out.

Owns: :class:`RecordLayer` -- an ``ssl.SSLObject`` between two
``ssl.MemoryBIO`` s, the handshake's progress, the close_notify alerts in
both directions, and the translation of ``ssl.SSLError`` into Node's errors
(:func:`tls_error`).  Whoever moves the bytes (the TLS handle over a
socket, a test shuttling between two layers) calls ``receive()`` with
what arrived and sends what ``take_outgoing()`` returns.
Must not import: gevent, sockets, handles, streams (pure: testable without
a socket, as trio's ``SSLStream`` state is).

Node's spelling of OpenSSL failures: ``ERR_SSL_<REASON>`` (the upper-cased
``ssl.SSLError.reason``), e.g. ``ERR_SSL_WRONG_VERSION_NUMBER`` for a
plain-text peer; a peer that hangs up mid-handshake is ``ECONNRESET`` with
Node's message (``Client network socket disconnected before secure TLS
connection was established``).
"""

from __future__ import annotations

import re
import ssl
from typing import Any, Optional

from .. import errors

__all__ = ['RecordLayer', 'tls_error', 'DISCONNECTED_BEFORE_SECURE', 'SERVER_HANG_UP']

#: Node's messages for a transport closed during the handshake: on a client, on a server
DISCONNECTED_BEFORE_SECURE = 'Client network socket disconnected before secure TLS connection was established'
SERVER_HANG_UP = 'socket hang up'


def tls_error(exc: BaseException, server_side: bool = False) -> errors.NodeError:
    """An ``ssl.SSLError`` (or an EOF in the handshake) as the error Node reports for it.

    Node's OpenSSL errors read ``...:error:...:SSL routines:<function>:<reason>``
    with ``code`` ``ERR_SSL_<REASON>``, ``library`` and ``reason``; Python's
    ``ssl`` gives the library and the reason, so those are what gnet carries.
    """
    if isinstance(exc, (ssl.SSLEOFError, ssl.SSLSyscallError)):
        # the transport ended mid-handshake: Node's connResetException, worded per side
        return errors.NodeError(SERVER_HANG_UP if server_side else DISCONNECTED_BEFORE_SECURE,
                                code='ECONNRESET')
    reason = str(getattr(exc, 'reason', None) or _reason_from_text(exc) or type(exc).__name__)
    library = 'SSL routines' if getattr(exc, 'library', None) == 'SSL' else str(
        getattr(exc, 'library', None) or 'SSL routines')
    text = reason.lower().replace('_', ' ')
    return errors.NodeError('error:%s::%s' % (library, text),
                            code='ERR_SSL_' + reason.upper().replace(' ', '_'),
                            library=library, reason=text)


_SSL_MESSAGE = re.compile(r'^\[[^\]]*\]\s*(?P<text>[a-z0-9 ]+?)\s*(\(_ssl\.c:\d+\))?$')


def _reason_from_text(exc: BaseException) -> Optional[str]:
    """The reason of an error Python's table does not name (``reason`` None), from
    OpenSSL's own text: ``[SSL] tlsv1 alert no application protocol (_ssl.c:1006)``
    is ``TLSV1_ALERT_NO_APPLICATION_PROTOCOL``."""
    text = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], str) else str(exc)
    found = _SSL_MESSAGE.match(text)
    return found.group('text').upper().replace(' ', '_') if found else None


class RecordLayer:
    """One TLS connection's record layer (see the module docstring).

    ``handshake_done`` turns True once, when the handshake completed;
    ``peer_closed`` once the peer's close_notify (or the transport's EOF)
    has been read; ``closing`` once our close_notify was queued.
    """

    __slots__ = ('obj', 'incoming', 'outgoing', 'handshake_done', 'peer_closed', 'closing',
                 'server_side', 'starved', 'backlog')

    def __init__(self, context: ssl.SSLContext, server_side: bool,
                 server_hostname: Optional[str] = None, session: Any = None):
        self.incoming: ssl.MemoryBIO = ssl.MemoryBIO()
        self.outgoing: ssl.MemoryBIO = ssl.MemoryBIO()
        self.obj: ssl.SSLObject = context.wrap_bio(self.incoming, self.outgoing, server_side=server_side,
                                    server_hostname=server_hostname, session=session)
        self.server_side: bool = server_side
        self.handshake_done: bool = False
        self.peer_closed: bool = False
        self.closing: bool = False
        # the last read needed more ciphertext than had come; a server starts so:
        # it has nothing to do before the ClientHello
        self.starved: bool = server_side
        self.backlog: bytes = b''    # plaintext decrypted before our close_notify, not yet read

    # -- bytes in and out ---------------------------------------------------------------
    def receive(self, ciphertext: bytes) -> None:
        """Bytes that arrived from the peer."""
        self.incoming.write(ciphertext)
        self.starved = False

    def receive_eof(self) -> None:
        """The transport reached EOF: nothing more will arrive."""
        if not self.incoming.eof:
            self.incoming.write_eof()

    @property
    def has_outgoing(self) -> bool:
        return bool(self.outgoing.pending)

    def take_outgoing(self) -> bytes:
        """Every byte the layer wants sent, in order (empties the queue)."""
        return self.outgoing.read()

    @property
    def has_incoming(self) -> bool:
        """Plaintext ready to read, or ciphertext that came since the last read starved
        (a partial record alone is not worth a wake-up)."""
        if self.backlog or (self.handshake_done and self.obj.pending()):
            return True
        return bool(self.incoming.pending) and not self.starved

    # -- the handshake -------------------------------------------------------------------
    def handshake(self) -> bool:
        """Advance the handshake; True once it is complete.

        Raises the Node error of a failed handshake (:func:`tls_error`).
        """
        if self.handshake_done:
            return True
        try:
            self.obj.do_handshake()
        except ssl.SSLWantReadError:
            if self.incoming.eof:
                raise tls_error(ssl.SSLEOFError(), self.server_side) from None
            self.starved = True
            return False
        except ssl.SSLError as exc:
            raise tls_error(exc, self.server_side) from None
        self.handshake_done = True
        return True

    # -- application data --------------------------------------------------------------------
    def read(self, size: int) -> Optional[bytes]:
        """Up to ``size`` bytes of plaintext; ``b''`` once the peer closed; None if more
        ciphertext is needed first.  The handshake must be done."""
        if self.backlog:
            data, self.backlog = self.backlog[:size], self.backlog[size:]
            return data
        if self.peer_closed:
            return b''
        incoming = self.incoming
        if not incoming.pending and not incoming.eof and not self.obj.pending():
            # no ciphertext to open and no plaintext kept: OpenSSL (which reads one
            # record at a time, never ahead) could only ask for more, with an exception
            self.starved = True
            return None
        try:
            data = self.obj.read(size)
        except ssl.SSLWantReadError:
            if self.incoming.eof:  # a transport EOF without close_notify: Node ends too
                self.peer_closed = True
                return b''
            self.starved = True
            return None
        except ssl.SSLZeroReturnError:
            self.peer_closed = True
            return b''
        except ssl.SSLEOFError:
            self.peer_closed = True
            return b''
        except ssl.SSLError as exc:
            raise tls_error(exc) from None
        if not data and size:  # the peer's close_notify (ssl returns b'' for it)
            self.peer_closed = True
        return data

    def write(self, data: Any) -> int:
        """Encrypt all of ``data`` into the outgoing queue; returns its length."""
        if not len(data):
            return 0
        try:
            return self.obj.write(data)
        except ssl.SSLError as exc:
            raise tls_error(exc) from None

    def close_notify(self) -> None:
        """Queue our close_notify alert (the peer may still send; we may still read)."""
        if self.closing:
            return
        self.closing = True
        # Python's unwrap() calls SSL_shutdown twice, and the second call reads the peer's
        # records looking for its close_notify, discarding the data before it.  So
        # OpenSSL gets nothing to read: the decrypted plaintext it holds is kept aside
        # (read() returns it first) and the ciphertext waits outside its BIO meanwhile.
        if self.handshake_done:
            self.backlog = self._take_pending()
        waiting = self.incoming.read()
        try:
            self.obj.unwrap()
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            pass  # our alert is queued; the peer's comes when it comes
        except ssl.SSLError:
            pass  # a broken session: the transport's FIN follows anyway
        if waiting:
            self.incoming.write(waiting)
            self.starved = False

    def _take_pending(self) -> bytes:
        """The rest of a record OpenSSL has decrypted and not yet handed out."""
        taken = bytearray()
        while self.obj.pending():
            try:
                taken += self.obj.read(self.obj.pending())
            except ssl.SSLError:
                break
        return bytes(taken)
