"""The I/O seam: a connected stream socket driven by gevent watchers.

Owns: the non-blocking socket object, its read/write watchers, byte
counters, half-close and close, address dicts, and the one place where an
``OSError`` from a stream socket becomes a gnet ``SysError``.  Two sibling
transports share :class:`StreamHandle`: :class:`TCPHandle` (no-delay,
keep-alive, reset) and :class:`PipeHandle` (Unix domain).  Callers test
capabilities with ``ITCPHandle.providedBy(handle)``.
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
from ...interfaces import IPipeHandle, IStreamHandle, ITCPHandle

__all__ = ['StreamHandle', 'TCPHandle', 'PipeHandle', 'handle_for', 'family_name',
           'address_dict', 'WOULD_BLOCK', 'IOV_MAX']

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

    __slots__ = ('sock', 'fileno', 'bytes_read', 'bytes_written', 'read_watcher',
                 '_write_watcher', '_hub', '__weakref__')

    #: the largest recv() size the socket grows its reads to (see the subclasses)
    read_size_max = 65536

    def __init__(self, sock: Any, hub: Any):
        sock.setblocking(False)
        self.sock = sock
        self.fileno = sock.fileno()
        self.bytes_read = 0      # bytes received so far
        self.bytes_written = 0   # bytes the kernel accepted so far
        self._hub = hub
        self.read_watcher = hub.loop.io(self.fileno, _READ)
        # gnet counts references itself (loop.ref_handle): gevent must not
        self.read_watcher.ref = False
        self._write_watcher: Any = None  # made on first use: most sockets never wait to write

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
    def start_connect(self, address: Any) -> Optional[int]:
        """Begin a non-blocking connect; returns 0 if done, else EINPROGRESS."""
        code = self.sock.connect_ex(address)
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
            data = self.sock.recv(size)
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return None
            raise errors.sys_error(exc, 'read') from None
        self.bytes_read += len(data)
        return data

    def try_read_into(self, buffer: Any) -> Optional[int]:
        """``recv_into(buffer)``: count, 0 at EOF, or None if it would block."""
        try:
            count = self.sock.recv_into(buffer)
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return None
            raise errors.sys_error(exc, 'read') from None
        self.bytes_read += count
        return count

    def try_write(self, data: Any) -> int:
        """Non-blocking send; the number of bytes the kernel took (maybe 0)."""
        try:
            sent = self.sock.send(data)
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return 0
            raise errors.sys_error(exc, 'write') from None
        self.bytes_written += sent
        return sent

    def try_writev(self, buffers: List[Any]) -> int:
        """Non-blocking ``sendmsg`` of several buffers; bytes taken (maybe 0)."""
        try:
            sent = self.sock.sendmsg(buffers[:IOV_MAX])
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return 0
            raise errors.sys_error(exc, 'write') from None
        self.bytes_written += sent
        return sent

    # Blocking helpers for IStreamHandle users outside an executor (tests, tools).
    def wait_writable(self) -> None:
        self._hub.wait(self.write_watcher)

    def read_into(self, buffer: Any) -> int:
        while True:
            count = self.try_read_into(buffer)
            if count is not None:
                return count
            self._hub.wait(self.read_watcher)

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

    @property
    def closed(self) -> bool:
        return self.fileno < 0

    def sockname(self) -> Optional[Dict[str, Any]]:
        raise NotImplementedError

    def peername(self) -> Optional[Dict[str, Any]]:
        raise NotImplementedError


@implementer(ITCPHandle)
class TCPHandle(StreamHandle):
    """TCP over IPv4 or IPv6."""

    __slots__ = ()

    #: largest recv() a busy socket grows to: loopback TCP hands over big
    #: segments, and 256 KiB reads measured ~1.6x the throughput of 64 KiB ones
    read_size_max = 262144

    @classmethod
    def new(cls, family: int, hub: Any) -> 'TCPHandle':
        return cls(_socket.socket(family, _socket.SOCK_STREAM), hub)

    def sockname(self) -> Optional[Dict[str, Any]]:
        try:
            return address_dict(self.sock.family, self.sock.getsockname())
        except OSError:
            return None

    def peername(self) -> Optional[Dict[str, Any]]:
        try:
            return address_dict(self.sock.family, self.sock.getpeername())
        except OSError:
            return None

    def set_no_delay(self, enable: bool) -> None:
        self.sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1 if enable else 0)

    def set_keep_alive(self, enable: bool, initial_delay_s: int) -> None:
        """Node/libuv's uv_tcp_keepalive: SO_KEEPALIVE, then the TCP knobs."""
        sock = self.sock
        sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_KEEPALIVE, 1 if enable else 0)
        if enable:
            if initial_delay_s > 0:
                sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_KEEPIDLE, initial_delay_s)
            sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_KEEPCNT, 10)
            sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_KEEPINTVL, 1)

    def reset(self) -> None:
        """Close with SO_LINGER 0: the peer sees ECONNRESET."""
        if self.fileno >= 0:
            try:
                self.sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_LINGER,
                                     b'\x01\x00\x00\x00\x00\x00\x00\x00')
            except OSError:
                pass
        self.close()


@implementer(IPipeHandle)
class PipeHandle(StreamHandle):
    """A Unix-domain stream socket (Node's Pipe)."""

    __slots__ = ()

    #: Unix sockets gain nothing from reads above 64 KiB; bigger ones made
    #: malloc return memory to the kernel after every chunk (brk and page
    #: faults: half the throughput with 16 bulk streams)
    read_size_max = 65536

    @classmethod
    def new(cls, hub: Any) -> 'PipeHandle':
        return cls(_socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM), hub)

    def sockname(self) -> Optional[Dict[str, Any]]:
        return None

    def peername(self) -> Optional[Dict[str, Any]]:
        return None

    def path(self) -> Optional[str]:
        try:
            name = self.sock.getsockname() or self.sock.getpeername()
        except OSError:
            return None
        return os.fsdecode(name) if isinstance(name, bytes) else name


def handle_for(sock: Any, hub: Any) -> StreamHandle:
    """Wrap an existing connected socket (accepted, or passed as ``fd``)."""
    if sock.family == _socket.AF_UNIX:
        return PipeHandle(sock, hub)
    return TCPHandle(sock, hub)


def socket_from_fd(fd: int) -> Any:
    """A ``_socket.socket`` owning the existing descriptor ``fd`` (as Node's ``{fd}``)."""
    return _socket.socket(fileno=fd)
