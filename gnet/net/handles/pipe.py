"""The Unix-domain transport: a stream handle with a path, nothing TCP-only.

Owns: :class:`PipeHandle` (Node's Pipe): a Unix stream socket and its path.
It provides ``IPipeHandle`` and never ``ITCPHandle``; the TCP handle is its
sibling, not its base.
Must not import: streams, net sockets or servers.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

import _socket
from zope.interface import implementer

from ...interfaces import IPipeHandle
from .base import StreamHandle

__all__ = ['PipeHandle']


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
