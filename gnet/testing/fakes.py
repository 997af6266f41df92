"""Fakes of gnet's handles, honest enough to drive a real :class:`gnet.Socket`.

Owns: :class:`FakeTCPHandle`, :class:`FakePipeHandle` (stream handles) and
:class:`FakeListenHandle`.  Each declares the interface of the handle it
stands for and passes ``zope.interface.verify.verifyObject``; each records
the calls it gets in ``calls`` (a list of ``(method, args)``), so a test can
check what reached the handle -- the pattern of Node's
``test/parallel/test-net-socket-setnodelay.js``: with a TCP-capable fake
``set_no_delay`` reaches the handle, with a pipe fake it is a no-op.
Must not import: gevent, greenlet, socket (no descriptor is ever opened).

A fake never has data to read and its kernel takes every write whole;
``feed(data)`` and ``eof()`` script what ``try_read`` returns next.
"""

from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional, Sequence, Tuple

from zope.interface import implementer

from ..interfaces import IListenHandle, IPipeHandle, ITCPHandle

__all__ = ['FakeWatcher', 'FakeTCPHandle', 'FakePipeHandle', 'FakeListenHandle']

Call = Tuple[str, Tuple[Any, ...]]


class FakeWatcher:
    """A stand-in for a gevent io watcher: ``start(callback)``, ``stop()``, ``close()``.

    ``fire()`` calls the callback as the hub would (the caller stops it:
    gnet uses watchers one-shot).
    """

    def __init__(self) -> None:
        self.ref: bool = False
        self.active: bool = False
        self.callback: Optional[Callable[[], Any]] = None

    def start(self, callback: Callable[[], Any]) -> None:
        self.active, self.callback = True, callback

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active, self.callback = False, None

    def fire(self) -> None:
        if self.active and self.callback is not None:
            self.callback()


class _FakeStreamHandle:
    """What both fake transports share (the IStreamHandle part)."""

    read_size_max = 65536

    def __init__(self) -> None:
        self.calls: List[Call] = []
        self.fileno: int = 1000  # never a real descriptor: only compared with -1
        self.bytes_written: int = 0
        self.unconnected: bool = False
        self.read_watcher: FakeWatcher = FakeWatcher()
        self.write_watcher: FakeWatcher = FakeWatcher()
        self.written: List[bytes] = []
        self._incoming: Deque[bytes] = deque()

    @property
    def closed(self) -> bool:
        return self.fileno < 0

    def _record(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))

    def feed(self, data: bytes) -> None:
        """Script the next ``try_read``: ``data`` (``b''`` for EOF)."""
        self._incoming.append(bytes(data))

    def eof(self) -> None:
        self.feed(b'')

    def stop_write_watcher(self) -> None:
        self.write_watcher.stop()

    def start_connect(self, address: Any) -> int:
        self._record('start_connect', address)
        self.unconnected = False
        return 0

    def finish_connect(self, address: Any) -> None:
        self._record('finish_connect', address)

    def try_read(self, size: int) -> Optional[bytes]:
        if not self._incoming:
            return None
        data = self._incoming.popleft()
        if len(data) > size:
            self._incoming.appendleft(data[size:])
            data = data[:size]
        return data

    def try_read_into(self, buffer: Any) -> Optional[int]:
        data = self.try_read(len(buffer))
        if data is None:
            return None
        buffer[:len(data)] = data
        return len(data)

    def try_peek(self, size: int) -> Optional[bytes]:
        return self._incoming[0][:size] if self._incoming else None

    def try_write(self, data: Any) -> int:
        self.written.append(bytes(data))
        self.bytes_written += len(data)
        return len(data)

    def try_writev(self, buffers: Sequence[Any]) -> int:
        return sum(self.try_write(buf) for buf in buffers)

    def shutdown_write(self) -> None:
        self._record('shutdown_write')

    def close(self) -> None:
        if self.fileno >= 0:
            self._record('close')
            self.fileno = -1
            self.read_watcher.close()
            self.write_watcher.close()

    def detach(self) -> int:
        self._record('detach')
        fileno, self.fileno = self.fileno, -1
        return fileno

    def sockname(self) -> Optional[Dict[str, Any]]:
        return None

    def peername(self) -> Optional[Dict[str, Any]]:
        return None


@implementer(ITCPHandle)
class FakeTCPHandle(_FakeStreamHandle):
    """A TCP handle: records ``set_no_delay``, ``set_keep_alive``, ``bind`` and ``reset``."""

    local: Dict[str, Any] = {'address': '127.0.0.1', 'family': 'IPv4', 'port': 40000}
    remote: Dict[str, Any] = {'address': '127.0.0.1', 'family': 'IPv4', 'port': 40001}

    def set_no_delay(self, enable: bool) -> None:
        self._record('set_no_delay', enable)

    def set_keep_alive(self, enable: bool, initial_delay_s: int) -> None:
        self._record('set_keep_alive', enable, initial_delay_s)

    def bind(self, address: str, port: int) -> None:
        self._record('bind', address, port)

    def reset(self) -> None:
        self._record('reset')
        self.close()

    def sockname(self) -> Optional[Dict[str, Any]]:
        return None if self.closed else dict(self.local)

    def peername(self) -> Optional[Dict[str, Any]]:
        return None if self.closed else dict(self.remote)


@implementer(IPipeHandle)
class FakePipeHandle(_FakeStreamHandle):
    """A Unix-domain handle: a path, and none of TCP's methods."""

    def __init__(self, path: Optional[str] = '/tmp/fake.sock') -> None:
        _FakeStreamHandle.__init__(self)
        self._path = path

    def path(self) -> Optional[str]:
        return self._path


@implementer(IListenHandle)
class FakeListenHandle:
    """A listening handle whose backlog is a list: ``pending.append((stream_handle, peer))``.

    ``errors`` (a list of ``OSError``) are raised by ``try_accept`` first, one per call.
    """

    def __init__(self, sockname: Any = None) -> None:
        self.fileno: int = 1001
        self.read_watcher: FakeWatcher = FakeWatcher()
        self.pending: List[Tuple[Any, Any]] = []
        self.errors: List[OSError] = []
        self.shed: int = 0
        self._sockname = sockname or {'address': '127.0.0.1', 'family': 'IPv4', 'port': 40000}

    def try_accept(self) -> Optional[Tuple[Any, Any]]:
        if self.errors:
            raise self.errors.pop(0)
        return self.pending.pop(0) if self.pending else None

    def shed_pending(self) -> int:
        shed, self.pending = len(self.pending), []
        self.shed += shed
        return shed

    def retake_reserve(self) -> None:
        pass

    def wait_readable(self) -> None:
        return None

    def sockname(self) -> Any:
        return self._sockname

    def close(self) -> None:
        self.fileno = -1
        self.read_watcher.close()
