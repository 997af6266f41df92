"""Executors: serial task queues, each run by one greenlet.

Owns: :class:`Executor` (``next_tick`` from any greenlet, tasks run in the
owner in FIFO order, ticks drained after every task) and
:func:`spawn_executor`.  The loop's runner and every connection's runner
(:mod:`gnet.runtime.runner`) are executors.
Must not import: the loop module (it imports this one; an executor only
needs its loop's ``hub`` and ``report``), streams, sockets.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, List, Optional, Protocol, Tuple, TypeVar

from greenlet import GreenletExit, greenlet

__all__ = ['Executor', 'spawn_executor', 'LoopLike', 'Task']


class LoopLike(Protocol):
    """What an executor needs of its loop (:class:`gnet.runtime.loop.Loop`)."""

    hub: Any

    def report(self, exc: BaseException, source: Any = None) -> None: ...


Task = Tuple[Callable[..., Any], Tuple[Any, ...]]


L = TypeVar('L', bound=LoopLike)


class Executor(Generic[L]):
    """A serial task queue run by one greenlet (its *owner*).

    ``next_tick`` may be called from any greenlet; tasks always run in the
    owner, in FIFO order.  Subclasses give the owner more to wait for (timers,
    socket readiness) by overriding :meth:`_main`.
    """

    __slots__ = ('loop', '_ticks', 'glet', '_waiting', '_woken', '__weakref__')

    def __init__(self, loop: L):
        self.loop = loop
        self._ticks: List[Task] = []  # lighter than a deque; drained by swapping
        self.glet: Optional[greenlet] = None
        self._waiting = False  # the owner is parked in wait()
        self._woken = False    # a wake-up switch is already scheduled

    def next_tick(self, fn: Callable[..., Any], *args: Any) -> None:
        self._ticks.append((fn, args))
        if self._waiting and not self._woken:
            self.wake()

    def wake(self) -> None:
        """Resume the owner if it is parked (safe from any greenlet or the hub)."""
        if self._waiting and not self._woken:
            self._woken = True
            self.loop.hub.loop.run_callback(self.glet.switch)  # type: ignore[union-attr]

    def wait(self) -> Any:
        """Park the owner until :meth:`wake` (or a watcher) switches back."""
        self._waiting = True
        try:
            return self.loop.hub.switch()
        finally:
            self._waiting = False
            self._woken = False

    def run_ticks(self) -> None:
        """Run queued ticks until none is left (ticks queued meanwhile included)."""
        while self._ticks:
            batch, self._ticks = self._ticks, []
            for fn, args in batch:  # ticks queued meanwhile land in the new list
                try:
                    fn(*args)
                except BaseException as exc:  # noqa: BLE001 - the uncaught-exception rule
                    if isinstance(exc, GreenletExit):  # it must end the greenlet it hit
                        raise
                    self.uncaught(exc)

    @property
    def pending(self) -> bool:
        return bool(self._ticks)

    def uncaught(self, exc: BaseException) -> None:
        self.loop.report(exc)


class _ExecutorGreenlet(greenlet):
    """A greenlet that knows its executor (``next_tick`` routes through it)."""

    def __init__(self, run: Callable[[], Any], executor: 'Executor[Any]', parent: greenlet):
        greenlet.__init__(self, run, parent)
        self.gnet_executor = executor


def spawn_executor(executor: 'Executor[Any]', main: Callable[[], Any]) -> greenlet:
    """Start ``main`` in a new greenlet owned by ``executor``; returns it."""
    glet = _ExecutorGreenlet(main, executor, executor.loop.hub)
    executor.glet = glet
    executor.loop.hub.loop.run_callback(glet.switch)
    return glet
