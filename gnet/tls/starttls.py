"""STARTTLS: a connected :class:`gnet.Socket` gives its handle to a TLS socket.

Owns: :func:`release_handle` -- the plain socket stops reading, watching and
holding ``run()``, and hands over its handle and the unsent tail of its write.
Must not import: the TLS socket or server modules (they import this one).
"""

from __future__ import annotations

from typing import Any, Tuple

from .. import errors
from ..net.socket import Socket

__all__ = ['release_handle']


def release_handle(socket: Socket) -> Tuple[Any, bytes]:
    """Take a connected socket's handle for TLS over it (STARTTLS).

    The socket stops reading and watching, no longer holds ``run()``, and a
    later ``destroy()`` leaves the descriptor alone: the TLS socket owns it.
    Returns the handle and the unsent tail of the socket's write in flight:
    it goes out before the first TLS record (its callback is answered, as
    the write is now the TLS handle's to finish).
    """
    handle = socket._handle
    if handle is None:
        raise errors.ERR_SOCKET_CLOSED()
    unsent = b''.join(bytes(chunk) for chunk in socket._out)
    callback, socket._out, socket._out_cb = socket._out_cb, (), None
    if callback is not None:
        socket._runner.next_tick(callback, None)
    runner = socket._runner
    runner.stop_read()
    runner.stop_write()
    runner.attach(None)
    socket._handle = None
    socket._reading = False
    if socket._active:
        socket._active = False
        socket._loop.unref_handle(socket)
    return handle, unsent
