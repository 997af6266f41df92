"""Pipes that are not sockets: ``os.pipe()`` ends, FIFOs, a piped stdin or stdout.

Owns: :class:`FifoHandle` (what Node's ``Pipe`` handle is when libuv opens
a FIFO descriptor: ``new net.Socket({fd})`` on ``process.stdin``), and
:class:`Descriptor`, the part of ``_socket.socket`` that :class:`StreamHandle`
calls, done with ``os.read``/``os.readv``/``os.write``/``os.writev``: the
base's non-blocking I/O, watchers and error translation serve a FIFO
unchanged.  Only the descriptor differs.
Must not import: streams, net sockets or servers.

As libuv's ``uv_pipe_open``, the handle reads the descriptor's access mode:
reading a write-only end fails with ``ENOTCONN`` (``uv_read_start``), writing
a read-only end with ``EPIPE`` (``uv_write``).  A pipe has no half-close:
``end()`` finishes, and the reader sees EOF once the descriptor is closed.
"""

from __future__ import annotations

import errno
import fcntl
import os
from typing import Any, Sequence

from zope.interface import implementer

from ...interfaces import IPipeHandle
from .descriptors import close_fd
from .pipe import PipeHandle

__all__ = ['FifoHandle', 'Descriptor']


class Descriptor:
    """An open pipe descriptor, spoken to through the socket methods the handle base uses."""

    __slots__ = ('fd', 'readable', 'writable')

    def __init__(self, fd: int):
        self.fd: int = fd
        mode = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
        self.readable: bool = mode in (os.O_RDONLY, os.O_RDWR)
        self.writable: bool = mode in (os.O_WRONLY, os.O_RDWR)

    def fileno(self) -> int:
        return self.fd

    def setblocking(self, flag: bool) -> None:
        os.set_blocking(self.fd, flag)

    def recv(self, size: int, flags: int = 0) -> bytes:
        if flags:  # MSG_PEEK: nothing can be peeked at in a pipe
            raise OSError(errno.EOPNOTSUPP, os.strerror(errno.EOPNOTSUPP))
        self._check(self.readable, errno.ENOTCONN)
        return os.read(self.fd, size)

    def recv_into(self, buffer: Any) -> int:
        self._check(self.readable, errno.ENOTCONN)
        return os.readv(self.fd, [buffer])

    def send(self, data: Any) -> int:
        self._check(self.writable, errno.EPIPE)
        return os.write(self.fd, data)

    def sendmsg(self, buffers: Sequence[Any]) -> int:
        self._check(self.writable, errno.EPIPE)
        return os.writev(self.fd, buffers)

    def shutdown(self, how: int) -> None:
        """No half-close on a pipe (libuv's shutdown fails there, and Node ignores it)."""

    def getsockname(self) -> Any:
        raise OSError(errno.ENOTSOCK, os.strerror(errno.ENOTSOCK))

    getpeername = getsockname

    def close(self) -> None:
        fd, self.fd = self.fd, -1
        if fd >= 0:
            close_fd(fd)

    def detach(self) -> int:
        fd, self.fd = self.fd, -1
        return fd

    @staticmethod
    def _check(allowed: bool, code: int) -> None:
        if not allowed:
            raise OSError(code, os.strerror(code))


@implementer(IPipeHandle)
class FifoHandle(PipeHandle):
    """A pipe or FIFO descriptor adopted by ``Socket({'fd': n})`` (Node's Pipe on a FIFO).

    It has no path (``path()`` is None) and nothing to connect to.
    """

    __slots__ = ()

    def __init__(self, fd: int, hub: Any):
        descriptor = Descriptor(fd)
        PipeHandle.__init__(self, descriptor, hub)
        if not descriptor.readable:
            # a write-only end never becomes readable: its read "watcher" fires at
            # once, so that a read fails with ENOTCONN there as uv_read_start does
            self.read_watcher.close()
            self.read_watcher: Any = hub.loop.timer(0.0)
            self.read_watcher.ref = False
