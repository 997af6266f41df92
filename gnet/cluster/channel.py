"""Handle passing: messages and descriptors between processes over a Unix socket.

Owns: :class:`Channel`, Node's IPC channel (``child.send(message,
sendHandle)`` / ``process.on('message', (message, handle) => ...)``) over a
connected ``AF_UNIX`` stream socket: JSON messages, each optionally
carrying one handle as an ``SCM_RIGHTS`` descriptor; the conversion of gnet
Sockets and Servers to descriptors and back; and the accounting that lets a
Server count the connections it handed to another process.
Must not import: the cluster modules (they build on this one).

Wire format: a frame is a 4-byte big-endian length and that many bytes of
UTF-8 JSON.  A frame that carries a handle has its descriptor attached to
the frame's first byte; the receiver queues descriptors as they arrive and
a frame takes its own off that queue once complete, so frames and
descriptors never get out of step.

Sending a connection (Node's ``send(message, socket)``, ``keepOpen`` false):
the sender must not have written anything still queued (refused with
``ERR_SOCKET_HANDLE_BUSY``); bytes it already read but nobody consumed
(still in the readable buffer) travel with the handle and are the first
``'data'`` on the other side; the sender's socket is then destroyed without
touching the connection (no FIN, no RST) -- the receiver holds it now.  A
server that accepts with ``pause_on_connect=True`` never reads, so nothing
needs to travel.  Sending a Server or a plain socket sends a duplicate: the
sender keeps its own.

Events: ``'message'(message, handle)`` (handle None, a gnet Socket, a
listening gnet Server, or a ``socket.socket``), ``'internal'(kind, data,
fd)`` (control frames of :meth:`Channel.send_internal`, used by the
cluster), ``'error'(err)``, ``'close'``.  Listeners run on the gnet loop's runner, never in the
channel's reader, so a listener may block (even on this channel).
"""

import base64
import json
import logging
import os
import socket as _stdlib_socket
import struct
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

import _socket
import gevent
from gevent import socket as gsocket

from .. import errors
from ..events import EventEmitter
from ..net.handles.descriptors import close_fd
from ..net.server import Server
from ..net.socket import Socket
from ..runtime import loop

__all__ = ['Channel', 'socketpair', 'MAX_FRAME']

log: logging.Logger = logging.getLogger('gnet.handle_passing')

#: largest frame accepted (bytes of JSON); a larger length prefix closes the channel
MAX_FRAME = 64 * 1024 * 1024
#: descriptors accepted with one read
_MAX_FDS = 16
_READ_SIZE = 65536
_LEN = struct.Struct('!I')
_CLOEXEC = getattr(_socket, 'MSG_CMSG_CLOEXEC', 0)


def socketpair() -> Tuple[Any, Any]:
    """Two connected ``AF_UNIX`` stream sockets for a parent and a child (not inheritable)."""
    return _stdlib_socket.socketpair(_stdlib_socket.AF_UNIX, _stdlib_socket.SOCK_STREAM)


class Channel(EventEmitter):
    """A message channel to another process; see the module docstring.

    ``sock`` is a connected ``AF_UNIX`` stream socket (or its descriptor):
    the channel owns it.  ``ref=False`` lets ``gnet.run()`` return while the
    channel is open (a worker's channel to its primary is like that).

    Referencing follows Node's IPC channel (its ``Control``): besides
    ``ref=True``, the channel is held while its count of users is above
    zero -- :meth:`ref_counted`/:meth:`unref_counted`, used by a frame
    being written and by a worker's ``'message'``/``'disconnect'``
    listeners -- until :meth:`ref` or :meth:`unref` is called, which
    decide alone from then on.
    """

    def __init__(self, sock: Any, ref: bool = True):
        EventEmitter.__init__(self)
        fd = sock if isinstance(sock, int) else sock.detach()
        self._sock: Any = gsocket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM, fileno=fd)
        self._loop = loop.get_loop()
        self._out: Deque[Tuple[bytes, List[int], Optional[Callable[..., Any]]]] = deque()
        self._writer: Any = None             # greenlet flushing _out, alive while it has work
        self._fds: Deque[int] = deque()       # received descriptors not yet claimed by a frame
        self._handed: Dict[int, Server] = {}  # key -> server, connections we sent still open there
        self._received: Dict[Socket, int] = {}  # sockets we got -> the sender's key
        self._seq = 0
        self._refd = False                    # held by the loop now
        self._keep = ref                      # held whatever the count (ref=True)
        self._users = 0                       # Node's Control count: writes, listeners
        self._ref_explicit: Optional[bool] = None  # ref()/unref() called: it alone decides
        #: called in the reader greenlet for control frames, ``(kind, data, fd)``;
        #: must not block (the cluster resolves replies and queues connections here)
        self.internal_hook: Optional[Callable[[str, Any, Optional[int]], None]] = None
        self.closed: bool = False
        self._update_ref()
        self._reader: Any = gevent.spawn(self._read_loop)

    # -- sending ------------------------------------------------------------------------
    def send(self, message: Any, handle: Any = None,
             callback: Optional[Callable[..., Any]] = None) -> bool:
        """Queue ``message`` (JSON-serialisable) and optionally one handle; never blocks.

        ``callback(err)`` runs once the frame is written (or failed).
        Raises at once for a handle that cannot be sent.
        """
        if self.closed:
            err = errors.NodeError('Channel closed', code='ERR_IPC_CHANNEL_CLOSED')
            if callback is not None:
                loop.next_tick(callback, err)
                return False
            raise err
        envelope: Dict[str, Any] = {'m': message}
        fds: List[int] = []
        if handle is not None:
            info, fd = self._export(handle)
            envelope['h'] = info
            fds.append(fd)
        self._queue(envelope, fds, callback)
        return True

    def send_internal(self, kind: str, data: Any = None, fd: Optional[int] = None,
                      callback: Optional[Callable[..., Any]] = None) -> None:
        """A control frame (Node's internal messages), seen as ``'internal'`` on the other side.

        The channel owns ``fd`` (closed once sent, or at once if closed).
        """
        if self.closed:
            if fd is not None:
                _close_fd(fd)
            if callback is not None:
                loop.next_tick(callback, errors.ERR_SOCKET_CLOSED())
            return
        envelope: Dict[str, Any] = {'i': kind, 'd': data}
        if fd is not None:
            envelope['h'] = {'type': 'fd'}
        self._queue(envelope, [] if fd is None else [fd], callback)

    def _queue(self, envelope: Dict[str, Any], fds: List[int],
               callback: Optional[Callable[..., Any]]) -> None:
        try:
            body = json.dumps(envelope, separators=(',', ':')).encode('utf-8')
        except (TypeError, ValueError):
            for fd in fds:
                _close_fd(fd)
            raise
        self._out.append((_LEN.pack(len(body)) + body, fds, callback))
        if self._writer is None:
            self._writer = gevent.spawn(self._write_loop)
            self.ref_counted()  # as Node's pending write: the frames go out before an exit

    def _export(self, handle: Any) -> Tuple[Dict[str, Any], int]:
        """A descriptor to send for ``handle`` and how the other side rebuilds it."""
        if isinstance(handle, Socket):
            return self._export_socket(handle)
        if isinstance(handle, Server):
            inner = handle._handle
            if inner is None:
                raise errors.ERR_SERVER_NOT_RUNNING()
            return {'type': 'net.Server'}, os.dup(inner.fileno)
        fileno = handle if isinstance(handle, int) else getattr(handle, 'fileno', lambda: -1)()
        if isinstance(fileno, bool) or not isinstance(fileno, int) or fileno < 0:
            raise errors.ERR_INVALID_HANDLE_TYPE()
        return {'type': 'socket'}, os.dup(fileno)

    def _export_socket(self, sock: Socket) -> Tuple[Dict[str, Any], int]:
        inner = sock._handle
        if inner is None or sock.connecting or sock.destroyed or inner.closed:
            raise errors.ERR_SOCKET_CLOSED()
        if sock.writable_length:
            raise errors.NodeError('Socket has %d bytes queued for writing; cannot send it'
                                   % sock.writable_length, code='ERR_SOCKET_HANDLE_BUSY')
        state = sock._readable_state
        pending = list(state.buffer) if state.length else []
        if any(not isinstance(chunk, (bytes, bytearray)) for chunk in pending):
            raise errors.NodeError('Socket has decoded data buffered; cannot send it',
                                   code='ERR_SOCKET_HANDLE_BUSY')
        info: Dict[str, Any] = {'type': 'net.Socket', 'allow_half_open': sock.allow_half_open}
        if pending:
            info['data'] = base64.b64encode(b''.join(pending)).decode('ascii')
        fd = os.dup(inner.fileno)
        server = sock._server
        if server is not None:  # Node: the server stops counting it, its workers count it
            self._seq += 1
            info['key'] = self._seq
            self._handed[self._seq] = server
            _add_handed_off(server, 1)
        sock.destroy()  # closes our descriptor only: the duplicate keeps the connection
        return info, fd

    def _write_loop(self) -> None:
        sock = self._sock
        try:
            while self._out:
                data, fds, callback = self._out[0]
                err: Optional[BaseException] = None
                try:
                    if fds:
                        sent = _stdlib_socket.send_fds(sock, [data], fds)
                        if sent < len(data):
                            sock.sendall(data[sent:])
                    else:
                        sock.sendall(data)
                except OSError as exc:
                    err = errors.sys_error(exc, 'write')
                self._out.popleft()
                for fd in fds:
                    _close_fd(fd)
                if callback is not None:
                    self._loop.runner.next_tick(callback, err)
                if err is not None:
                    self._fail(err)
                    return
        finally:
            if self._writer is gevent.getcurrent():  # else close() took it over
                self._writer = None
                self.unref_counted()

    # -- receiving ---------------------------------------------------------------------------
    def _read_loop(self) -> None:
        buf = b''
        try:
            while True:
                try:
                    data, fds, flags, _ = _stdlib_socket.recv_fds(self._sock, _READ_SIZE, _MAX_FDS,
                                                                  _CLOEXEC)
                except OSError as exc:
                    if not self.closed:
                        self._fail(errors.sys_error(exc, 'read'))
                    return
                self._fds.extend(fds)
                if flags & getattr(_socket, 'MSG_CTRUNC', 0):
                    self._fail(errors.NodeError('descriptors were truncated', code='ERR_IPC_FD_LOST'))
                    return
                if not data:
                    self._loop.runner.next_tick(self.close)
                    return
                buf += data
                while len(buf) >= 4:
                    size = _LEN.unpack_from(buf)[0]
                    if size > MAX_FRAME:
                        self._fail(errors.NodeError('frame of %d bytes' % size, code='ERR_IPC_BAD_FRAME'))
                        return
                    if len(buf) < 4 + size:
                        break
                    frame, buf = buf[4:4 + size], buf[4 + size:]
                    self._dispatch(json.loads(frame.decode('utf-8')))
        except gevent.GreenletExit:
            pass

    def _dispatch(self, envelope: Dict[str, Any]) -> None:
        """In the reader: claim the frame's descriptor, then hand over to the runner."""
        info = envelope.get('h')
        fd = self._fds.popleft() if info is not None and self._fds else None
        if 'i' in envelope:
            hook = self.internal_hook
            if hook is not None and envelope['i'] != 'closed':
                hook(envelope['i'], envelope.get('d'), fd)
            else:
                self._loop.runner.next_tick(self._on_internal, envelope, fd)
        else:
            self._loop.runner.next_tick(self._deliver, envelope.get('m'), info, fd)

    def _deliver(self, message: Any, info: Optional[Dict[str, Any]], fd: Optional[int]) -> None:
        handle = None
        if info is not None:
            if fd is None:
                self.emit('error', errors.NodeError('a handle was announced but none arrived',
                                                    code='ERR_IPC_FD_LOST'))
                return
            handle = self._import(info, fd)
        self.emit('message', message, handle)

    def _import(self, info: Dict[str, Any], fd: int) -> Any:
        kind = info.get('type')
        if kind == 'net.Socket':
            sock = Socket({'handle': _socket.socket(fileno=fd),
                           'allow_half_open': bool(info.get('allow_half_open'))})
            data = info.get('data')
            if data:
                sock.unshift(base64.b64decode(data))
            key = info.get('key')
            if key is not None:
                self._received[sock] = key
                sock.once('close', lambda *_: self._returned(sock))
            return sock
        if kind == 'net.Server':
            server = Server()
            server.listen({'fd': fd})
            return server
        return _stdlib_socket.socket(fileno=fd)

    def _returned(self, sock: Socket) -> None:
        key = self._received.pop(sock, None)
        if key is not None and not self.closed:
            self.send_internal('closed', key)

    def _on_internal(self, envelope: Dict[str, Any], fd: Optional[int]) -> None:
        """``'closed'`` is ours; other kinds are ``'internal'(kind, data, fd)`` (fd owned by the listener)."""
        kind, data = envelope.get('i'), envelope.get('d')
        if kind == 'closed':
            server = self._handed.pop(data, None)  # type: ignore[arg-type]
            if server is not None:
                _add_handed_off(server, -1)
        elif self.listener_count('internal'):
            self.emit('internal', kind, data, fd)
            return
        if fd is not None:
            _close_fd(fd)

    def _fail(self, err: BaseException) -> None:
        def report() -> None:
            if self.listener_count('error'):
                self.emit('error', err)
            else:
                log.warning('channel error: %s', err)
            self.close()
        self._loop.runner.next_tick(report)

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the channel (idempotent); ``'close'`` follows."""
        if self.closed:
            return
        self.closed = True
        for server in self._handed.values():  # the other side is gone: so are those connections
            _add_handed_off(server, -1)
        self._handed.clear()
        self._received.clear()
        reader, self._reader = self._reader, None
        if reader is not None and reader is not gevent.getcurrent():
            reader.kill(block=False)
        writer, self._writer = self._writer, None
        if writer is not None:
            if writer is not gevent.getcurrent():
                writer.kill(block=False)
            self.unref_counted()
        for _, fds, callback in self._out:
            for fd in fds:
                _close_fd(fd)
            if callback is not None:
                self._loop.runner.next_tick(callback, errors.ERR_SOCKET_CLOSED())
        self._out.clear()
        while self._fds:
            _close_fd(self._fds.popleft())
        self._sock.close()
        self._update_ref()
        loop.next_tick(self.emit, 'close')

    def ref(self) -> 'Channel':
        """Keep ``gnet.run()`` going while open, whatever the count (Node's ``channel.ref()``)."""
        self._ref_explicit = True
        self._update_ref()
        return self

    def unref(self) -> 'Channel':
        """Let ``gnet.run()`` return while open, whatever the count (Node's ``channel.unref()``)."""
        self._ref_explicit = False
        self._update_ref()
        return self

    def ref_counted(self) -> None:
        """One more user (Node's ``refCounted``): the first holds the channel."""
        self._users += 1
        self._update_ref()

    def unref_counted(self) -> None:
        """One user less (Node's ``unrefCounted``): with none left the count holds nothing."""
        self._users = max(0, self._users - 1)
        self._update_ref()

    def _update_ref(self) -> None:
        explicit = self._ref_explicit
        wanted = (self._keep or self._users > 0) if explicit is None else explicit
        if wanted and not self.closed:
            if not self._refd:
                self._refd = True
                self._loop.ref_handle(self)
        elif self._refd:
            self._refd = False
            self._loop.unref_handle(self)

    def fileno(self) -> int:
        return int(self._sock.fileno())

    def __repr__(self) -> str:
        return '<gnet.Channel %s>' % ('closed' if self.closed else 'fd %d' % self.fileno())


def _add_handed_off(server: Server, delta: int) -> None:
    """The Server hook: connections handed to other processes and still open there."""
    count = getattr(server, '_handed_off', 0) + delta
    server._handed_off = max(0, count)


def _close_fd(fd: int) -> None:
    try:
        close_fd(fd)
    except OSError:
        pass
