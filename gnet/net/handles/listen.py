"""Listening sockets: bind, listen, accept, close -- TCP and Unix siblings.

Owns: creating and binding the listening descriptor (``SO_REUSEADDR``,
``SO_REUSEPORT`` and ``IPV6_V6ONLY`` on TCP; path length checks, file modes
and unlinking on Unix), adopting a descriptor someone else bound (Node's
``listen(handle)`` and ``listen({fd})``), non-blocking accept, the reserved
descriptor released when the process runs out of them, and the translation
of socket/bind/listen failures to ``SysError``.
Must not import: streams, net sockets, the server (it drives this module).

Every constructor here either returns a listening handle or raises a
gnet error (never a bare ``OSError``), and never leaks a descriptor on the
way out.
"""

import errno
import os
import stat
from typing import Any, Callable, Dict, Optional, Tuple, Union

import _socket
from gevent import get_hub
from zope.interface import implementer

from ... import errors
from ...interfaces import IListenHandle
from ..accept import is_capacity
from .base import WOULD_BLOCK, StreamHandle, address_dict
from .descriptors import close_fd
from .pipe import PipeHandle, unix_address
from .tcp import TCPHandle

__all__ = ['ListenHandle', 'TCPListenHandle', 'PipeListenHandle', 'adopt_listen_handle',
           'bind_unspecified']

#: most connections accepted and closed at once while out of descriptors
SHED_MAX = 1024

#: binding ``::`` failed with one of these: no IPv6 here, fall back to 0.0.0.0
NO_IPV6_ERRNOS = frozenset([errno.EAFNOSUPPORT, errno.EADDRNOTAVAIL, errno.EPROTONOSUPPORT])


@implementer(IListenHandle)
class ListenHandle:
    """A bound, listening, non-blocking socket and its read watcher."""

    __slots__ = ('sock', 'fileno', 'read_watcher', 'hub', '_reserve', '__weakref__')

    def __init__(self, sock: Any, hub: Any):
        sock.setblocking(False)
        self.sock: Any = sock
        self.hub: Any = hub
        self.fileno: int = sock.fileno()
        self.read_watcher: Any = hub.loop.io(self.fileno, 1)
        self.read_watcher.ref = False  # gnet counts references itself
        self._reserve: Optional[int] = _open_reserve()  # spare descriptor for shedding

    def try_accept(self) -> Optional[Tuple[StreamHandle, Any]]:
        """One non-blocking accept: ``(stream handle, peer)``, or None if none is pending.

        The stream handle is this transport's sibling (:meth:`stream_handle`).

        Transient and capacity errors are raised as ``OSError`` for the
        caller to sort.  Out of descriptors, the pending connections are
        first shed (see :meth:`shed_pending`) so that they do not rot in the
        backlog while the caller backs off.
        """
        try:
            fd, peer = self.sock._accept()
        except OSError as exc:
            if exc.errno in WOULD_BLOCK:
                return None
            if is_capacity(exc):  # the accept policy (gnet.net.accept) decides
                self.shed_pending()
            raise
        self.retake_reserve()
        return self.stream_handle(_socket.socket(self.sock.family, _socket.SOCK_STREAM, 0, fd)), peer

    def stream_handle(self, sock: Any) -> StreamHandle:
        """The sibling stream handle for an accepted socket."""
        raise NotImplementedError

    def retake_reserve(self) -> None:
        """Open the spare descriptor again if it was lost; cheap when it is there.

        :meth:`shed_pending` re-opens it at once, but that fails when something
        else took the freed slot meanwhile (another thread, or another process
        when the system's table is full): it is then taken back after the next
        accept or when one of the server's connections closes, so that the next
        episode is shed too and the descriptor count comes back.
        """
        if self._reserve is None and self.fileno >= 0:
            self._reserve = _open_reserve()

    def shed_pending(self) -> int:
        """libuv's EMFILE trick: free the reserve, accept and close what is pending.

        Returns how many connections were closed.  The peers see their
        connection closed at once instead of hanging in the backlog.
        """
        if self._reserve is None:
            return 0
        close_fd(self._reserve)
        self._reserve = None
        shed = 0
        try:
            while shed < SHED_MAX:
                try:
                    fd, _ = self.sock._accept()
                except OSError:
                    break
                close_fd(fd)
                shed += 1
        finally:
            self._reserve = _open_reserve()
        return shed

    def wait_readable(self) -> None:
        """Block the calling greenlet until a connection may be pending.

        For accept loops in a plain greenlet (the cluster's round-robin
        acceptor); the server's accept greenlet uses ``read_watcher``.
        """
        get_hub().wait(self.read_watcher)

    def sockname(self) -> Union[Dict[str, Any], str, None]:
        raise NotImplementedError

    def close(self) -> None:
        """Stop watching and close the descriptor (and the reserve); idempotent."""
        if self.fileno < 0:
            return
        self.read_watcher.stop()
        self.read_watcher.close()
        self.fileno = -1
        if self._reserve is not None:
            close_fd(self._reserve)
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
        """Socket, ``SO_REUSEADDR``, options, bind, listen; errors are ``SysError``."""
        def prepare(sock: Any) -> None:
            sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
            if family == _socket.AF_INET6:
                sock.setsockopt(_socket.IPPROTO_IPV6, _socket.IPV6_V6ONLY, 1 if ipv6_only else 0)
            if reuse_port:
                _set_reuse_port(sock)
            sock.bind((address, port))
            sock.listen(backlog)
        sock = _new_socket(family, prepare, address, port)
        return cls(sock, hub)

    def stream_handle(self, sock: Any) -> TCPHandle:
        return TCPHandle(sock, self.hub)

    def sockname(self) -> Optional[Dict[str, Any]]:
        try:
            return address_dict(self.sock.family, self.sock.getsockname())
        except OSError:
            return None


def bind_unspecified(bind: Callable[[str, int], 'ListenHandle']) -> 'ListenHandle':
    """No host: ``bind('::', AF_INET6)`` (dual-stack unless ipv6_only), else ``0.0.0.0``.

    Falls back to IPv4 only where IPv6 is unavailable (NO_IPV6_ERRNOS);
    EADDRINUSE and the like are reported for ``::``, as Node does.
    """
    try:
        return bind('::', _socket.AF_INET6)
    except errors.SysError as err:
        if err.errno not in NO_IPV6_ERRNOS:
            raise
    return bind('0.0.0.0', _socket.AF_INET)


def _set_reuse_port(sock: Any) -> None:
    option = getattr(_socket, 'SO_REUSEPORT', None)
    if option is None:
        raise OSError(errno.ENOTSUP, 'SO_REUSEPORT is not supported on this platform')
    sock.setsockopt(_socket.SOL_SOCKET, option, 1)


class PipeListenHandle(ListenHandle):
    """Listening Unix-domain socket; unlinks the path it created on close."""

    __slots__ = ('path', '_unlink')

    def __init__(self, sock: Any, hub: Any, path: Optional[str], unlink: bool):
        ListenHandle.__init__(self, sock, hub)
        self.path: Optional[str] = path
        self._unlink = unlink  # we created this filesystem entry (never an abstract name)

    @classmethod
    def bind(cls, hub: Any, path: str, backlog: int, readable_all: bool = False,
             writable_all: bool = False) -> 'PipeListenHandle':
        """Bind ``path`` (a leading NUL means Linux's abstract namespace), listen, chmod.

        A name longer than ``sun_path`` holds is EINVAL, never truncated (Node
        22); an existing file (a stale socket) is EADDRINUSE; a missing
        directory is EACCES, as libuv reports it (Node 20 too).
        """
        raw = unix_address(path, 'listen', extra=os.strerror(errno.EINVAL).lower())
        abstract = raw.startswith(b'\0')

        def prepare(sock: Any) -> None:
            try:
                sock.bind(raw)
            except FileNotFoundError:  # libuv turns ENOENT into EACCES ("as on Windows")
                raise OSError(errno.EACCES, os.strerror(errno.EACCES)) from None
            try:
                sock.listen(backlog)
                if not abstract:
                    _chmod_all(path, readable_all, writable_all)
            except OSError:
                _unlink_quietly(path)
                raise
        sock = _new_socket(_socket.AF_UNIX, prepare, path, None)
        return cls(sock, hub, path, not abstract)

    def stream_handle(self, sock: Any) -> PipeHandle:
        return PipeHandle(sock, self.hub)

    def sockname(self) -> Optional[str]:
        return self.path

    def close(self) -> None:
        if self.fileno < 0:
            return
        ListenHandle.close(self)
        if self._unlink and self.path:
            _unlink_quietly(self.path)


def _chmod_all(path: str, readable_all: bool, writable_all: bool) -> None:
    """libuv's uv_pipe_chmod: add read and/or write permission for everyone."""
    wanted = 0
    if readable_all:
        wanted |= stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
    if writable_all:
        wanted |= stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    if wanted:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & wanted != wanted:
            os.chmod(path, mode | wanted)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _new_socket(family: int, prepare: Callable[[Any], None], address: Any,
                port: Optional[int]) -> Any:
    """A stream socket that ``prepare`` bound and made listen; closed if anything fails."""
    sock = None
    try:
        sock = _socket.socket(family, _socket.SOCK_STREAM)
        prepare(sock)
    except OSError as exc:
        if sock is not None:
            sock.close()
        raise _listen_error(exc, address, port) from None
    return sock


def adopt_listen_handle(fd: int, hub: Any, backlog: int, dup: bool) -> ListenHandle:
    """Listen on a descriptor bound elsewhere (Node's ``listen(handle)``/``listen({fd})``).

    With ``dup`` the caller keeps its descriptor and the handle owns a
    duplicate; otherwise the handle takes ``fd`` over, as Node does for
    ``{fd}``.  A descriptor that is not a socket is EINVAL, as in Node, and
    is left open.
    """
    try:
        owned = os.dup(fd) if dup else fd
    except OSError as exc:
        raise _listen_error(exc, None, None) from None
    try:
        sock = _socket.socket(fileno=owned)
    except OSError as exc:
        if dup:
            close_fd(owned)
        code = errno.EINVAL if exc.errno in (errno.ENOTSOCK, errno.EBADF) else exc.errno
        code = code or errno.EINVAL
        raise errors.SysError(code, 'listen', extra=os.strerror(code).lower()) from None
    try:
        sock.listen(backlog)
    except OSError as exc:
        sock.close()
        raise _listen_error(exc, None, None) from None
    if sock.family == _socket.AF_UNIX:
        name = sock.getsockname()
        path = os.fsdecode(name) if isinstance(name, bytes) else name
        return PipeListenHandle(sock, hub, path or None, False)
    return TCPListenHandle(sock, hub)


def _listen_error(exc: OSError, address: Any, port: Optional[int]) -> errors.NodeError:
    """``listen EADDRINUSE: address already in use :::8124`` (Node's wording)."""
    if isinstance(exc, errors.NodeError):
        return exc
    if exc.errno is None:
        return errors.sys_error(exc, 'listen', address, port)
    return errors.SysError(exc.errno, 'listen', address, port,
                           extra=os.strerror(exc.errno).lower())
