"""The Unix-domain transport: a stream handle with a path, nothing TCP-only.

Owns: :class:`PipeHandle` (Node's Pipe): a Unix stream socket and its path.
It provides ``IPipeHandle`` and never ``ITCPHandle``; the TCP handle is its
sibling, not its base.
Must not import: streams, net sockets or servers.
"""

from __future__ import annotations

import errno
import os
from typing import Any, Dict, Optional, Union

import _socket
from zope.interface import implementer

from ... import errors
from ...interfaces import IPipeHandle
from .base import StreamHandle

__all__ = ['PipeHandle', 'unix_address', 'SUN_PATH_SIZE', 'UNIX_PATH_MAX']

#: the size of ``sockaddr_un.sun_path`` on Linux: the longest abstract name
#: (its leading NUL included)
SUN_PATH_SIZE = 108
#: the longest file-system path: Python's socket module keeps room for the
#: terminating NUL (libuv would take 108 bytes; see docs/porting.md)
UNIX_PATH_MAX = SUN_PATH_SIZE - 1


def unix_address(path: Union[str, bytes], syscall: str, extra: Optional[str] = None) -> bytes:
    """``path`` as the bytes to bind or connect to (a leading NUL: Linux's abstract namespace).

    A name longer than ``sun_path`` holds is ``EINVAL`` (libuv's
    ``UV_PIPE_NO_TRUNCATE``, Node 22), never truncated as Node 20 does.
    """
    raw = os.fsencode(path)
    if len(raw) > (SUN_PATH_SIZE if raw.startswith(b'\0') else UNIX_PATH_MAX):
        raise errors.SysError(errno.EINVAL, syscall, os.fsdecode(raw), extra=extra)
    return raw


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

    def start_connect(self, address: Any) -> Optional[int]:
        """Connect to a path; one too long for ``sun_path`` is ``EINVAL`` (as Node 22)."""
        return StreamHandle.start_connect(self, unix_address(address, 'connect'))

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
