"""A tls.Server connection's ``'resumeSession'`` and ``'newSession'`` events, as Node 20 emits them.

Owns: :class:`SessionEvents` -- one server connection's external session
cache: the ClientHello held until ``'resumeSession'`` is answered, the
session that answer gives to OpenSSL's lookup, and ``'newSession'`` with the
connection's records and secure events held until its callback is called.
Must not import: the TLS server module.

As Node (checked with node 20): the callbacks are enabled for a connection
when its server has a ``'resumeSession'`` or a ``'newSession'`` listener as
it starts.  ``'resumeSession'`` (session_id, callback) is emitted for a
ClientHello with a session ID and no session ticket; ``callback(err,
data)`` with the data a ``'newSession'`` stored resumes that session,
without it (or with data that is no session) the handshake goes in full,
with an error the connection is destroyed (the server's ``'tlsClientError'``
with that error); a second call is ``ERR_MULTIPLE_CALLBACK``.  The listener
may answer later, from any greenlet.  ``'newSession'`` (session_id, data,
callback) holds the connection's output until ``callback()``; over TLS 1.2
the server's last flight and its ``'secure'``/``'secureConnection'`` wait for
it, over TLS 1.3 (sessions come after the handshake) only the records do.
"""

from __future__ import annotations

from typing import Any, List, Optional

from .. import errors
from . import sessions
from .hello import ClientHelloParser

__all__ = ['SessionEvents', 'enable']


def _multiple_callback() -> errors.NodeError:
    return errors.NodeError('Callback called multiple times', code='ERR_MULTIPLE_CALLBACK')


class SessionEvents:
    """The session events of one server connection (see the module docstring)."""

    __slots__ = ('sock', 'server', 'handle', 'obj', 'new_session_pending', 'secure_pending',
                 '__weakref__')

    def __init__(self, sock: Any, server: Any, handle: Any, obj: Any):
        self.sock: Any = sock
        self.server: Any = server
        self.handle: Any = handle
        self.obj: Any = obj
        self.new_session_pending: bool = False
        self.secure_pending: Any = None  # the handshake's end, waiting for 'newSession'

    def hold_secure(self, finish: Any) -> bool:
        """True if the handshake's end waits for a ``'newSession'`` callback (``finish``
        is called then)."""
        if self.new_session_pending:
            self.secure_pending = finish
            return True
        return False

    # -- 'resumeSession' -----------------------------------------------------------------
    def on_client_hello(self, hello: Any) -> None:
        """From the handle, with the parsed ClientHello (None: not one): Node's loadSession."""
        handle = self.handle
        if (hello is None or not hello.session_id or hello.has_ticket
                or not self.server.listener_count('resumeSession')):
            handle.end_hello()
            return
        self.sock._runner.next_tick(self._emit_resume, hello.session_id)

    def _emit_resume(self, session_id: bytes) -> None:
        sock = self.sock
        answered: List[bool] = []

        def callback(err: Any = None, data: Any = None) -> None:
            if answered:
                sock.destroy(_multiple_callback())
                return
            answered.append(True)
            if err is not None:
                sock.destroy(err)
                return
            if sock.destroyed or sock._handle is not self.handle:
                sock.destroy(errors.ERR_SOCKET_CLOSED())
                return
            if data:
                sessions.load(self.obj, data)
            self.handle.end_hello()
        if sock.destroyed:
            return
        if not self.server.emit('resumeSession', session_id, callback):
            self.handle.end_hello()

    # -- 'newSession' ------------------------------------------------------------------------
    def _on_new_session(self, session_id: bytes, data: bytes, tls13: bool) -> None:
        """From OpenSSL's new session callback, inside the handshake (or a read)."""
        self.handle.hold_output = True
        runner = self.sock._runner
        if not tls13:
            self.new_session_pending = True
            runner.next_tick(self._emit_new, session_id, data)
        else:  # as node: after the 'secure' events of the handshake that made the ticket
            runner.next_tick(runner.next_tick, self._emit_new, session_id, data)

    def _emit_new(self, session_id: bytes, data: bytes) -> None:
        sock = self.sock
        called: List[bool] = []

        def done(*_args: Any) -> None:
            if called:
                return
            called.append(True)
            if sock.destroyed or sock._handle is not self.handle:
                sock.destroy(errors.ERR_SOCKET_CLOSED())
                return
            self.handle.release_output()
            self.new_session_pending = False
            finish, self.secure_pending = self.secure_pending, None
            if finish:
                finish()
        if sock.destroyed:
            return
        if not self.server.emit('newSession', session_id, data, done):
            done()

    def close(self) -> None:
        """The connection is gone: a loaded session OpenSSL did not take is freed."""
        sessions.discard(self.obj)


def enable(sock: Any, server: Any, handle: Any, obj: Any) -> Optional[SessionEvents]:
    """The session events of a server connection, when its server listens for them (as
    Node's ``enableSessionCallbacks``); None otherwise, or where OpenSSL's session
    callbacks cannot be installed."""
    if server is None or not (server.listener_count('resumeSession')
                              or server.listener_count('newSession')):
        return None
    events = SessionEvents(sock, server, handle, obj)
    if not sessions.watch(obj, events):
        return None
    handle.hello_parser = ClientHelloParser()
    handle.on_client_hello = events.on_client_hello
    sock.once('close', lambda *_: events.close())
    return events
