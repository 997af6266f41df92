"""Handles: the I/O seam under sockets and servers.

``base`` (what both stream transports share), ``tcp`` and ``pipe`` (the two
sibling transports), ``fifo`` (a pipe that is not a socket), ``listen``
(listening sockets; each accepts into its sibling stream handle).
:func:`handle_for` wraps a socket that came from elsewhere (an accepted
one, a handle passed between processes); :func:`open_fd` adopts any
descriptor Node's ``new net.Socket({fd})`` accepts.
"""

import os
import stat
from typing import Any, Optional, Type, TypeVar

import _socket

from ... import errors
from ...interfaces import IStreamHandle
from ..args import validate_int32
from .base import StreamHandle
from .fifo import FifoHandle
from .pipe import PipeHandle
from .tcp import TCPHandle

_H = TypeVar('_H', bound=StreamHandle)

__all__ = ['StreamHandle', 'TCPHandle', 'PipeHandle', 'FifoHandle', 'handle_for', 'open_fd',
           'guess_handle_type', 'unconnected']


def handle_for(sock: Any, hub: Any) -> StreamHandle:
    """Wrap an existing connected socket (accepted, or passed as ``fd``)."""
    if sock.family == _socket.AF_UNIX:
        return PipeHandle(sock, hub)
    return TCPHandle(sock, hub)


def open_fd(fd: Any, hub: Any) -> StreamHandle:
    """Node's ``createHandle(fd)`` then ``open``: a stream handle that owns ``fd``.

    ``fd`` is an int32 >= 0 (``ERR_INVALID_ARG_TYPE`` / ``ERR_OUT_OF_RANGE``
    named ``"fd"``, as Node's); a stream socket becomes a TCP or Unix handle,
    a pipe or FIFO a :class:`FifoHandle`; anything else is
    ``ERR_INVALID_FD_TYPE`` with libuv's name for it (``FILE``, ``TTY``,
    ``UDP``, ``UNKNOWN`` -- a closed descriptor included), and is left open.
    """
    validate_int32(fd, 'fd', 0)
    kind = guess_handle_type(fd)
    if kind not in ('TCP', 'PIPE'):
        raise errors.ERR_INVALID_FD_TYPE(kind)
    if stat.S_ISFIFO(os.fstat(fd).st_mode):
        return FifoHandle(fd, hub)
    handle = handle_for(_socket.socket(fileno=fd), hub)
    handle.probe_unconnected()
    return handle


def unconnected(handle: Optional[IStreamHandle], kind: Type[_H]) -> Optional[_H]:
    """``handle`` if a connect of ``kind`` (:class:`TCPHandle` or :class:`PipeHandle`)
    should connect it, as Node connects the handle a socket has: one adopted
    from a descriptor of that kind that was never connected.  None otherwise:
    the connect makes a new handle (and closes one of the other kind)."""
    if isinstance(handle, kind) and handle.unconnected:
        return handle
    return None


def guess_handle_type(fd: int) -> str:
    """libuv's ``uv_guess_handle``, in Node's words: TCP, PIPE, UDP, TTY, FILE or UNKNOWN."""
    try:
        if os.isatty(fd):
            return 'TTY'
        mode = os.fstat(fd).st_mode
    except OSError:
        return 'UNKNOWN'
    if stat.S_ISREG(mode) or stat.S_ISCHR(mode):
        return 'FILE'
    if stat.S_ISFIFO(mode):
        return 'PIPE'
    if not stat.S_ISSOCK(mode):
        return 'UNKNOWN'
    try:
        probe = _socket.socket(fileno=fd)  # reads the family and type; detached below
    except OSError:
        return 'UNKNOWN'
    family, kind = probe.family, probe.type
    probe.detach()
    inet = family in (_socket.AF_INET, _socket.AF_INET6)
    if kind == _socket.SOCK_DGRAM and inet:
        return 'UDP'
    if kind == _socket.SOCK_STREAM and (inet or family == _socket.AF_UNIX):
        return 'TCP' if inet else 'PIPE'
    return 'UNKNOWN'
