"""The I/O seam: a connected stream socket driven by gevent watchers.

Owns: :class:`StreamHandle`, what both transports share -- the
non-blocking socket object, its read/write watchers, the sent-byte counter,
connect, half-close, close, detach -- and the one place where an ``OSError``
from a stream socket becomes a gnet ``SysError``; address helpers.  The two
sibling transports are :class:`gnet.net.handles.tcp.TCPHandle` (no-delay,
keep-alive, reset) and :class:`gnet.net.handles.pipe.PipeHandle` (Unix
domain, path); callers test capabilities with ``ITCPHandle.providedBy``.
Must not import: streams, net sockets or servers (they sit above this seam).

Handles use the C ``_socket.socket`` directly, so they behave the same
whether or not gevent's monkey patching replaced ``socket.socket``.
"""

from __future__ import annotations

import errno
import os
from typing import Any, Dict, List, Optional, Sequence

import _socket
from zope.interface import implementer

from ... import errors
from ...interfaces import IStreamHandle

__all__ = ['StreamHandle', 'family_name', 'address_dict', 'drop_info', 'unsent_tail',
           'WOULD_BLOCK', 'IOV_MAX']

#: errnos that mean "try again later" on a non-blocking socket
WOULD_BLOCK = frozenset([errno.EAGAIN, errno.EWOULDBLOCK, errno.EINTR])

#: sendmsg() takes at most this many buffers at once (Linux UIO_MAXIOV)
IOV_MAX = 1024

_READ, _WRITE = 1, 2


def family_name(family: int) -> str:
    return 'IPv6' if family == _socket.AF_INET6 else 'IPv4'


def address_dict(family: int, addr: Any) -> Optional[Dict[str, Any]]:
    """``{'address', 'family', 'port'}`` for an inet sockaddr tuple."""
    if not isinstance(addr, tuple):
        return None
    return {'address': addr[0], 'family': family_name(family), 'port': addr[1]}


@implementer(IStreamHandle)
class StreamHandle:
    """One connected (or connecting) stream socket.

    Reads and writes never block the caller: ``try_*`` methods return what
    the kernel took (0 / None when it would block) and raise ``SysError``
    for real failures.  Waiting is done on :attr:`read_watcher` /
    :attr:`write_watcher`, which the socket's executor starts and stops.
    """

    __slots__ = ('sock', 'fileno', 'bytes_written', 'read_watcher',
                 '_write_watcher', '_hub', 'unconnected', '__weakref__')

    #: the largest recv() size the socket grows its reads to (see the subclasses)
    read_size_max = 65536

    def __init__(self, sock: Any, hub: Any):
        sock.setblocking(False)
        self.sock: Any = sock
        self.fileno: int = sock.fileno()
        # bytes the kernel accepted so far (the one sent-byte counter; received
        # bytes are counted by the socket, since a PROXY header must not count)
        self.bytes_written: int = 0
        self._hub = hub
        self.read_watcher: Any = hub.loop.io(self.fileno, _READ)
        # gnet counts references itself (loop.ref_handle): gevent must not
        self.read_watcher.ref = False
        self._write_watcher: Any = None  # made on first use: most sockets never wait to write
        # an adopted descriptor never connected: the next connect() connects it
        self.unconnected: bool = False

    @property
    def write_watcher(self) -> Any:
        watcher = self._write_watcher
        if watcher is None:
            watcher = self._write_watcher = self._hub.loop.io(self.fileno, _WRITE)
            watcher.ref = False
        return watcher

    def stop_write_watcher(self) -> None:
        if self._write_watcher is not None:
            self._write_watcher.stop()

    # -- connect -------------------------------------------------------------
    def probe_unconnected(self) -> None:
        """Set :attr:`unconnected` from the descriptor: a socket with no peer
        (bound or not, not listening) is one that ``connect()`` may connect."""
        try:
            self.sock.getpeername()
        except OSError as exc:
            self.unconnected = exc.errno == errno.ENOTCONN and not self._listening()

    def _listening(self) -> bool:
        try:
            return bool(self.sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_ACCEPTCONN))
        except OSError:
            return False

    def start_connect(self, address: Any) -> Optional[int]:
        """Begin a non-blocking connect; returns 0 if done, else EINPROGRESS.

        An address of the other IP family (an adopted IPv6 descriptor asked
        to connect to an IPv4 address) is ``EINVAL``, as in Node.
        """
        self.unconnected = False
        try:
            code = self.sock.connect_ex(address)
        except _socket.gaierror:  # Python's word for an address of the wrong family
            code = errno.EINVAL
        if code in (0, errno.EISCONN):
            return 0
        if code in (errno.EINPROGRESS, errno.EAGAIN, errno.EALREADY, errno.EWOULDBLOCK):
            return errno.EINPROGRESS
        raise errors.SysError(code, 'connect', *self._split(address))

    def finish_connect(self, address: Any) -> None:
        """After writability: raise the connect error, if there was one."""
        code = self.sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_ERROR)
        if code:
            raise errors.SysError(code, 'connect', *self._split(address))

    def _split(self, address: Any) -> Sequence[Any]:
        if isinstance(address, tuple):
            return address[0], address[1]
        return (address if isinstance(address, str) else os.fsdecode(address)), None

    # -- I/O -----------------------------------------------------------------
    def try_read(self, size: int) -> Optional[bytes]:
        """``recv(size)``: bytes, ``b''`` at EOF, or None if it would block."""
        try:
            data: bytes = self.sock.recv(size)
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return None
            raise errors.sys_error(exc, 'read') from None
        return data

    def try_read_into(self, buffer: Any) -> Optional[int]:
        """``recv_into(buffer)``: count, 0 at EOF, or None if it would block."""
        try:
            count: int = self.sock.recv_into(buffer)
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return None
            raise errors.sys_error(exc, 'read') from None
        return count

    def try_peek(self, size: int) -> Optional[bytes]:
        """``recv(size, MSG_PEEK)``: what the kernel holds, left there; None if it would block."""
        try:
            data: bytes = self.sock.recv(size, _socket.MSG_PEEK)
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return None
            raise errors.sys_error(exc, 'read') from None
        return data

    def try_write(self, data: Any) -> int:
        """Non-blocking send; the number of bytes the kernel took (maybe 0)."""
        try:
            sent: int = self.sock.send(data)
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return 0
            raise errors.sys_error(exc, 'write') from None
        self.bytes_written += sent
        return sent

    def try_writev(self, buffers: Sequence[Any]) -> int:
        """Non-blocking ``sendmsg`` of several buffers; bytes taken (maybe 0)."""
        try:
            sent: int = self.sock.sendmsg(buffers[:IOV_MAX])
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return 0
            raise errors.sys_error(exc, 'write') from None
        self.bytes_written += sent
        return sent

    def shutdown_write(self) -> None:
        try:
            self.sock.shutdown(_socket.SHUT_WR)
        except OSError as exc:
            if exc.errno != errno.ENOTCONN:
                raise errors.sys_error(exc, 'shutdown') from None

    def close(self) -> None:
        """Stop the watchers and close the descriptor; idempotent."""
        if self.fileno < 0:
            return
        self.read_watcher.stop()
        self.read_watcher.close()
        if self._write_watcher is not None:
            self._write_watcher.stop()
            self._write_watcher.close()
        self.fileno = -1
        try:
            self.sock.close()
        except OSError:
            pass

    def detach(self) -> int:
        """Stop the watchers and give up the descriptor, which is returned (still open)."""
        fileno: int = self.fileno
        self.read_watcher.stop()
        self.read_watcher.close()
        if self._write_watcher is not None:
            self._write_watcher.stop()
            self._write_watcher.close()
        self.fileno = -1
        self.sock.detach()
        return fileno

    @property
    def closed(self) -> bool:
        return bool(self.fileno < 0)

    def sockname(self) -> Optional[Dict[str, Any]]:
        raise NotImplementedError

    def peername(self) -> Optional[Dict[str, Any]]:
        raise NotImplementedError


def drop_info(handle: Any) -> Optional[Dict[str, Any]]:
    """The ``'drop'`` event's argument for a TCP connection (an ``ITCPHandle``)."""
    local, remote = handle.sockname(), handle.peername()
    if local is None or remote is None:
        return None
    return {'local_address': local['address'], 'local_port': local['port'],
            'local_family': local['family'], 'remote_address': remote['address'],
            'remote_port': remote['port'], 'remote_family': remote['family']}


def unsent_tail(buffers: Sequence[Any], sent: int) -> List[Any]:
    """The unsent tail of ``buffers`` after the kernel took ``sent`` bytes."""
    out = []
    for index, buf in enumerate(buffers):
        size = len(buf)
        if sent >= size:
            sent -= size
            continue
        out.append(memoryview(buf)[sent:] if sent else buf)
        out.extend(buffers[index + 1:])
        break
    return out
