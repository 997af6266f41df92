"""The TCP transport: a stream handle with TCP's capabilities.

Owns: :class:`TCPHandle` -- no-delay, keep-alive (libuv's knobs), reset
with ``SO_LINGER`` 0, binding a local address before connect, inet
addresses.  It provides ``ITCPHandle``; the pipe handle is its sibling.
Must not import: streams, net sockets or servers.
"""

from __future__ import annotations

import errno
import os
from typing import Any, Dict, Optional

import _socket
from zope.interface import implementer

from ...interfaces import ITCPHandle
from .base import StreamHandle, address_dict

__all__ = ['TCPHandle']


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

    def bind(self, address: str, port: int) -> None:
        """Bind the local end before connecting (``local_address``/``local_port``).

        An address of the other family is ``EINVAL``, as ``bind()`` answers
        libuv (Python's ``bind`` would resolve it and fail in getaddrinfo).
        """
        family = _socket.AF_INET6 if ':' in address else _socket.AF_INET
        if family != self.sock.family:
            raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))
        self.sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
        self.sock.bind((address, port))

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
        """Node/libuv's uv_tcp_keepalive: SO_KEEPALIVE, then the TCP knobs, in its order.

        The kernel refuses an idle time of 0, a negative one or one over
        32767 s (EINVAL); libuv stops there, leaving the interval and count
        as they were, and so does this (the caller ignores the error, as Node).
        """
        sock = self.sock
        sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_KEEPALIVE, 1 if enable else 0)
        if enable:
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
