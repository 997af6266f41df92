"""The TLS record layer of one connection, with no I/O: ciphertext in, plaintext out.

Owns: :class:`RecordLayer` -- an ``ssl.SSLObject`` between two
``ssl.MemoryBIO`` s, the handshake's progress, the close_notify alerts in
both directions, and the translation of ``ssl.SSLError`` into Node's errors
(:func:`tls_error`).  Whoever moves the bytes (the TLS handle over a
socket, a test shuttling between two layers) calls :meth:`receive` with
what arrived and sends what :meth:`take_outgoing` returns.
Must not import: gevent, sockets, handles, streams (pure: testable without
a socket, as trio's ``SSLStream`` state is).

Node's spelling of OpenSSL failures: ``ERR_SSL_<REASON>`` (the upper-cased
``ssl.SSLError.reason``), e.g. ``ERR_SSL_WRONG_VERSION_NUMBER`` for a
plain-text peer; a peer that hangs up mid-handshake is ``ECONNRESET`` with
Node's message (``Client network socket disconnected before secure TLS
connection was established``).
"""

from __future__ import annotations

import ssl
from typing import Any, Optional

from .. import errors

__all__ = ['RecordLayer', 'tls_error', 'DISCONNECTED_BEFORE_SECURE']

#: Node's message for a transport closed during the handshake
DISCONNECTED_BEFORE_SECURE = 'Client network socket disconnected before secure TLS connection was established'


def tls_error(exc: BaseException) -> errors.NodeError:
    """An ``ssl.SSLError`` (or an EOF in the handshake) as the error Node reports for it.

    Node's OpenSSL errors read ``...:error:...:SSL routines:<function>:<reason>``
    with ``code`` ``ERR_SSL_<REASON>``, ``library`` and ``reason``; Python's
    ``ssl`` gives the library and the reason, so those are what gnet carries.
    """
    if isinstance(exc, (ssl.SSLEOFError, ssl.SSLSyscallError)):
        return errors.NodeError(DISCONNECTED_BEFORE_SECURE, code='ECONNRESET')
    reason = str(getattr(exc, 'reason', None) or type(exc).__name__)
    library = 'SSL routines' if getattr(exc, 'library', None) == 'SSL' else str(
        getattr(exc, 'library', None) or 'SSL routines')
    text = reason.lower().replace('_', ' ')
    return errors.NodeError('error:%s::%s' % (library, text),
                            code='ERR_SSL_' + reason.upper().replace(' ', '_'),
                            library=library, reason=text)


class RecordLayer:
    """One TLS connection's record layer (see the module docstring).

    ``handshake_done`` turns True once, when the handshake completed;
    ``peer_closed`` once the peer's close_notify (or the transport's EOF)
    has been read; ``closing`` once our close_notify was queued.
    """

    __slots__ = ('obj', 'incoming', 'outgoing', 'handshake_done', 'peer_closed', 'closing',
                 'server_side')

    def __init__(self, context: ssl.SSLContext, server_side: bool,
                 server_hostname: Optional[str] = None, session: Any = None):
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.obj = context.wrap_bio(self.incoming, self.outgoing, server_side=server_side,
                                    server_hostname=server_hostname, session=session)
        self.server_side = server_side
        self.handshake_done = False
        self.peer_closed = False
        self.closing = False

    # -- bytes in and out ---------------------------------------------------------------
    def receive(self, ciphertext: bytes) -> None:
        """Bytes that arrived from the peer."""
        self.incoming.write(ciphertext)

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
        """Ciphertext received and not yet processed, or plaintext ready to read."""
        return bool(self.incoming.pending) or bool(self.handshake_done and self.obj.pending())

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
                raise tls_error(ssl.SSLEOFError()) from None
            return False
        except ssl.SSLError as exc:
            raise tls_error(exc) from None
        self.handshake_done = True
        return True

    # -- application data --------------------------------------------------------------------
    def read(self, size: int) -> Optional[bytes]:
        """Up to ``size`` bytes of plaintext; ``b''`` once the peer closed; None if more
        ciphertext is needed first.  The handshake must be done."""
        if self.peer_closed:
            return b''
        try:
            return self.obj.read(size)
        except ssl.SSLWantReadError:
            if self.incoming.eof:  # a transport EOF without close_notify: Node ends too
                self.peer_closed = True
                return b''
            return None
        except ssl.SSLZeroReturnError:
            self.peer_closed = True
            return b''
        except ssl.SSLEOFError:
            self.peer_closed = True
            return b''
        except ssl.SSLError as exc:
            raise tls_error(exc) from None

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
        try:
            self.obj.unwrap()
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            pass  # our alert is queued; the peer's comes when it comes
        except ssl.SSLError:
            pass  # a broken session: the transport's FIN follows anyway
