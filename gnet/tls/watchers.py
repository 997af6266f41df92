"""The readiness watchers of a TLS handle, and what a closed one points at.

Owns: :class:`LayerWatcher` (a watcher with a gevent watcher's
``start``/``stop``, driven by the TLS handle rather than by the hub),
``CLOSED_HANDLE`` (arming it does nothing: a closed watcher drops its handle,
so no reference cycle outlives the connection) and ``ignore``.
Must not import: gevent, sockets (pure).
"""

from typing import Any, Callable, Optional

__all__ = ['LayerWatcher', 'CLOSED_HANDLE', 'ignore']


def ignore(*args: Any) -> None:
    return None


class ClosedHandle:
    """What a closed watcher points at: arming it does nothing."""

    @staticmethod
    def _arm() -> None:
        return None


CLOSED_HANDLE: Any = ClosedHandle()


class LayerWatcher:
    """A readiness watcher of the TLS handle, with a gevent watcher's ``start``/``stop``."""

    __slots__ = ('handle', 'callback', 'active', 'ref')

    def __init__(self, handle: Any):
        self.handle: Any = handle
        self.callback: Optional[Callable[[], Any]] = None
        self.active: bool = False
        self.ref: bool = False

    def start(self, callback: Callable[[], Any]) -> None:
        self.callback = callback
        self.active = True
        self.handle._arm()

    def stop(self) -> None:
        if self.active:
            self.active = False
            self.handle._arm()

    def close(self) -> None:
        self.active = False
        self.callback = None
        self.handle = CLOSED_HANDLE  # no cycle handle <-> watcher once closed

    def _fire(self) -> None:
        if self.active and self.callback is not None:
            self.callback()
