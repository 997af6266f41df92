"""Handles: the I/O seam under sockets and servers.

``base`` (what both stream transports share), ``tcp`` and ``pipe`` (the two
sibling transports), ``listen`` (listening sockets; each accepts into its
sibling stream handle).  :func:`handle_for` wraps a descriptor that came
from elsewhere (``Socket({fd})``, a handle passed between processes).
"""

from typing import Any

import _socket

from .base import StreamHandle
from .pipe import PipeHandle
from .tcp import TCPHandle

__all__ = ['StreamHandle', 'TCPHandle', 'PipeHandle', 'handle_for']


def handle_for(sock: Any, hub: Any) -> StreamHandle:
    """Wrap an existing connected socket (accepted, or passed as ``fd``)."""
    if sock.family == _socket.AF_UNIX:
        return PipeHandle(sock, hub)
    return TCPHandle(sock, hub)
