"""A stream handle over any Duplex stream: Node's ``JSStreamSocket``.

Owns: :class:`DuplexHandle` -- what lets a layer that speaks to handles (a
TLS socket) run over a stream that is not a descriptor: an in-memory pair,
a socket of another library, any object with a Duplex's ``write``, ``end``,
``destroy``, ``pause``/``resume`` and its ``'data'``, ``'end'``, ``'drain'``,
``'error'``, ``'close'`` events.
Must not import: streams, net sockets or servers (the Duplex is only called).

Reads: chunks that came with ``'data'`` wait here, and the stream is
paused while more than :data:`BUFFER_HIGH` bytes wait, so a slow reader
pushes back on the stream as a full kernel buffer does.  Writes: each goes
to ``stream.write()`` whole; once it answers False the handle says "would
block" until ``'drain'``.  The readiness watchers fire from the hub (never
from inside the stream's own events), as a descriptor's would.
"""

from __future__ import annotations

import errno
from typing import Any, Callable, Dict, Optional, Sequence

from zope.interface import implementer

from ... import errors
from ...interfaces import IStreamHandle

__all__ = ['DuplexHandle', 'BUFFER_HIGH', 'NO_DESCRIPTOR']

#: bytes that may wait in the handle before the stream is paused
BUFFER_HIGH = 65536
#: what ``fileno`` reads while open: no descriptor, but not closed (-1)
NO_DESCRIPTOR = 2 ** 31 - 1


class _Watcher:
    """Readiness of the adapter, with a gevent watcher's ``start``/``stop``/``close``."""

    __slots__ = ('handle', 'callback', 'active', 'ref', 'scheduled')

    def __init__(self, handle: 'DuplexHandle'):
        self.handle = handle
        self.callback: Optional[Callable[[], Any]] = None
        self.active = False
        self.ref = False
        self.scheduled = False

    def start(self, callback: Callable[[], Any]) -> None:
        self.callback = callback
        self.active = True
        self.handle._check_ready()

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active = False
        self.callback = None

    def fire_soon(self, hub: Any) -> None:
        if self.active and not self.scheduled:
            self.scheduled = True
            hub.loop.run_callback(self._fire)

    def _fire(self) -> None:  # in the hub
        self.scheduled = False
        if self.active and self.callback is not None:
            self.callback()


@implementer(IStreamHandle)
class DuplexHandle:
    """A stream handle over ``stream`` (see the module docstring)."""

    read_size_max = 65536

    def __init__(self, stream: Any, hub: Any):
        self.stream = stream
        self._hub = hub
        self.fileno = NO_DESCRIPTOR
        self.bytes_written = 0
        self.unconnected = False
        self.read_watcher = _Watcher(self)
        self.write_watcher = _Watcher(self)
        self._in = bytearray()
        self._ended = False
        self._error: Optional[BaseException] = None
        self._blocked = False      # write() answered False: wait for 'drain'
        self._paused = False
        self._listeners: Dict[str, Callable[..., Any]] = {
            'data': self._on_data, 'end': self._on_end, 'error': self._on_error,
            'close': self._on_close, 'drain': self._on_drain}
        for event, listener in self._listeners.items():
            stream.on(event, listener)
        if hasattr(stream, 'resume'):
            stream.resume()

    @property
    def closed(self) -> bool:
        return self.fileno < 0

    # -- the stream's events -----------------------------------------------------------------
    def _on_data(self, chunk: Any) -> None:
        self._in += chunk.encode('utf-8') if isinstance(chunk, str) else chunk
        if len(self._in) > BUFFER_HIGH and not self._paused:
            self._paused = True
            self.stream.pause()
        self.read_watcher.fire_soon(self._hub)

    def _on_end(self) -> None:
        self._ended = True
        self.read_watcher.fire_soon(self._hub)

    def _on_error(self, err: BaseException) -> None:
        self._error = err
        self.read_watcher.fire_soon(self._hub)
        self.write_watcher.fire_soon(self._hub)

    def _on_close(self, *args: Any) -> None:
        if not self._ended and self._error is None:
            self._error = errors.SysError(errno.ECONNRESET, 'read')
        self.read_watcher.fire_soon(self._hub)
        self.write_watcher.fire_soon(self._hub)

    def _on_drain(self) -> None:
        self._blocked = False
        self.write_watcher.fire_soon(self._hub)

    def _check_ready(self) -> None:
        if self._in or self._ended or self._error is not None:
            self.read_watcher.fire_soon(self._hub)
        if not self._blocked:
            self.write_watcher.fire_soon(self._hub)

    # -- reads and writes -----------------------------------------------------------------------
    def try_read(self, size: int) -> Optional[bytes]:
        if self._in:
            data = bytes(self._in[:size])
            del self._in[:size]
            if self._paused and len(self._in) <= BUFFER_HIGH // 2:
                self._paused = False
                self.stream.resume()
            return data
        if self._error is not None:
            raise self._as_sys_error(self._error, 'read')
        return b'' if self._ended else None

    def try_read_into(self, buffer: Any) -> Optional[int]:
        data = self.try_read(len(buffer))
        if data is None:
            return None
        buffer[:len(data)] = data
        return len(data)

    def try_peek(self, size: int) -> Optional[bytes]:
        if self._in:
            return bytes(self._in[:size])
        return b'' if self._ended else None

    def try_write(self, data: Any) -> int:
        if self.closed:
            raise errors.SysError(errno.EPIPE, 'write')
        if self._error is not None:
            raise self._as_sys_error(self._error, 'write')
        if self._blocked:
            return 0
        chunk = bytes(data)
        if not self.stream.write(chunk):
            self._blocked = True
        self.bytes_written += len(chunk)
        return len(chunk)

    def try_writev(self, buffers: Sequence[Any]) -> int:
        return self.try_write(b''.join(bytes(b) for b in buffers))

    def shutdown_write(self) -> None:
        if not self.closed:
            self.stream.end()

    def stop_write_watcher(self) -> None:
        self.write_watcher.stop()

    # -- connect, close ------------------------------------------------------------------------
    def start_connect(self, address: Any) -> Optional[int]:
        raise errors.SysError(errno.EISCONN, 'connect')

    def finish_connect(self, address: Any) -> None:
        raise errors.SysError(errno.EISCONN, 'connect')

    def close(self) -> None:
        if self.closed:
            return
        self.fileno = -1
        self.read_watcher.close()
        self.write_watcher.close()
        for event, listener in self._listeners.items():
            self.stream.remove_listener(event, listener)
        self.stream.on('error', _ignore)  # a late error of a stream we let go
        self.stream.destroy()

    def detach(self) -> int:
        raise errors.NodeError('a stream adapter has no descriptor to detach',
                               code='ERR_INVALID_HANDLE_TYPE')

    def sockname(self) -> Optional[Dict[str, Any]]:
        return None

    def peername(self) -> Optional[Dict[str, Any]]:
        return None

    @staticmethod
    def _as_sys_error(err: BaseException, syscall: str) -> BaseException:
        return err if isinstance(err, errors.NodeError) else errors.sys_error(err, syscall)


def _ignore(*args: Any) -> None:
    """An 'error' listener that takes nothing."""
