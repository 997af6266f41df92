"""Listening sockets: bind, listen, accept, close -- TCP and Unix siblings.

Owns: creating and binding the listening descriptor (``SO_REUSEADDR`` and
``IPV6_V6ONLY`` on TCP, path length checks, file modes and unlinking on
Unix), non-blocking accept, the reserved descriptor used when the process
runs out of them, and the translation of bind/listen failures to
``SysError``.
Must not import: streams, net sockets, the server (it drives this module).
"""

import errno
import os
import stat
from typing import Any, Dict, Optional, Tuple, Union

import _socket
from zope.interface import implementer

from . import errors
from .handle import WOULD_BLOCK, address_dict
from .interfaces import IListenHandle

__all__ = ['ListenHandle', 'TCPListenHandle', 'PipeListenHandle', 'listen_handle_for',
           'UNIX_PATH_MAX', 'CAPACITY_ERRNOS', 'TRANSIENT_ERRNOS']

#: longest Unix socket path in bytes, leaving room for the terminating NUL (Linux)
UNIX_PATH_MAX = 107

#: accept() errors that mean "out of resources": back off, do not spin
CAPACITY_ERRNOS = frozenset([errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM])

#: accept() errors about one connection only: skip it and go on
TRANSIENT_ERRNOS = frozenset([errno.ECONNABORTED, errno.EPROTO, errno.EPERM,
                              errno.EINTR, errno.ENETDOWN, errno.ENOPROTOOPT,
                              errno.EHOSTDOWN, errno.ENONET, errno.EHOSTUNREACH,
                              errno.EOPNOTSUPP, errno.ENETUNREACH])


@implementer(IListenHandle)
class ListenHandle:
    """A bound, listening, non-blocking socket and its read watcher."""

    __slots__ = ('sock', 'fileno', 'read_watcher', '_reserve', '__weakref__')

    def __init__(self, sock: Any, hub: Any):
        sock.setblocking(False)
        self.sock = sock
        self.fileno = sock.fileno()
        self.read_watcher = hub.loop.io(self.fileno, 1)
        self.read_watcher.ref = False  # gnet counts references itself
        self._reserve: Optional[int] = _open_reserve()

    def try_accept(self) -> Optional[Tuple[Any, Any]]:
        """One non-blocking accept: ``(socket, peer)``, or None if none is pending.

        Out of descriptors, the reserved descriptor is released, the pending
        connection accepted and closed at once (so it does not rot in the
        backlog), the reserve re-opened, and the capacity error raised for
        the caller to back off.
        """
        try:
            fd, peer = self.sock._accept()
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return None
            if exc.errno in CAPACITY_ERRNOS:
                self._shed_one()
            raise
        sock = _socket.socket(self.sock.family, _socket.SOCK_STREAM, 0, fd)
        return sock, peer

    def _shed_one(self) -> None:
        if self._reserve is None:
            return
        os.close(self._reserve)
        self._reserve = None
        try:
            fd, _ = self.sock._accept()
            os.close(fd)
        except OSError:
            pass
        self._reserve = _open_reserve()

    def accept(self) -> Tuple[Any, Any]:
        """Blocking form for IListenHandle users outside the accept greenlet."""
        from gevent import get_hub
        while True:
            got = self.try_accept()
            if got is not None:
                return got
            get_hub().wait(self.read_watcher)

    def sockname(self) -> Union[Dict[str, Any], str, None]:
        raise NotImplementedError

    def close(self) -> None:
        if self.fileno < 0:
            return
        self.read_watcher.stop()
        self.read_watcher.close()
        self.fileno = -1
        if self._reserve is not None:
            os.close(self._reserve)
            self._reserve = None
        try:
            self.sock.close()
        except OSError:
            pass


def _open_reserve() -> Optional[int]:
    try:
        return os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None


class TCPListenHandle(ListenHandle):
    """Listening TCP socket (IPv4 or IPv6)."""

    __slots__ = ()

    @classmethod
    def bind(cls, hub: Any, address: str, port: int, family: int, backlog: int,
             ipv6_only: bool = False, reuse_port: bool = False) -> 'TCPListenHandle':
        sock = _socket.socket(family, _socket.SOCK_STREAM)
        try:
            sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
            if family == _socket.AF_INET6:
                sock.setsockopt(_socket.IPPROTO_IPV6, _socket.IPV6_V6ONLY, 1 if ipv6_only else 0)
            if reuse_port:
                if not hasattr(_socket, 'SO_REUSEPORT'):
                    raise errors.SysError(errno.ENOTSUP, 'listen', address, port)
                sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEPORT, 1)
            sock.bind((address, port))
            sock.listen(backlog)
        except OSError as exc:
            sock.close()
            raise _listen_error(exc, address, port) from None
        return cls(sock, hub)

    def sockname(self) -> Optional[Dict[str, Any]]:
        try:
            return address_dict(self.sock.family, self.sock.getsockname())
        except OSError:
            return None


class PipeListenHandle(ListenHandle):
    """Listening Unix-domain socket; unlinks the path it created on close."""

    __slots__ = ('path', '_unlink')

    def __init__(self, sock: Any, hub: Any, path: Optional[str], unlink: bool):
        ListenHandle.__init__(self, sock, hub)
        self.path = path
        self._unlink = unlink  # we created a filesystem entry (not abstract)

    @classmethod
    def bind(cls, hub: Any, path: str, backlog: int, readable_all: bool = False,
             writable_all: bool = False) -> 'PipeListenHandle':
        raw = os.fsencode(path)
        abstract = raw.startswith(b'\0')
        if len(raw) > UNIX_PATH_MAX:
            raise errors.SysError(errno.ENAMETOOLONG, 'listen', path,
                                  extra='name too long, limit is %d bytes' % UNIX_PATH_MAX)
        sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            sock.bind(raw)
            sock.listen(backlog)
        except OSError as exc:
            sock.close()
            raise _listen_error(exc, path, None) from None
        if not abstract and (readable_all or writable_all):
            mode = os.stat(path).st_mode
            if readable_all:
                mode |= stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
            if writable_all:
                mode |= stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
            os.chmod(path, stat.S_IMODE(mode))
        return cls(sock, hub, path, not abstract)

    def sockname(self) -> Optional[str]:
        return self.path

    def close(self) -> None:
        if self.fileno < 0:
            return
        ListenHandle.close(self)
        if self._unlink and self.path:
            try:
                os.unlink(self.path)
            except OSError:
                pass


def listen_handle_for(sock: Any, hub: Any) -> ListenHandle:
    """Adopt an already-listening socket (a handle passed to ``listen``)."""
    if sock.family == _socket.AF_UNIX:
        name = sock.getsockname()
        path = os.fsdecode(name) if isinstance(name, bytes) else name
        return PipeListenHandle(sock, hub, path, False)
    return TCPListenHandle(sock, hub)


def _listen_error(exc: OSError, address: str, port: Optional[int]) -> errors.NodeError:
    if exc.errno is None:
        return errors.sys_error(exc, 'listen', address, port)
    return errors.SysError(exc.errno, 'listen', address, port,
                           extra=os.strerror(exc.errno).lower())
