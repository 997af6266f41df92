"""Executors: serial task queues, each run by one greenlet.

Owns: :class:`Executor` (``next_tick`` from any greenlet, tasks run in the
owner in FIFO order, ticks drained after every task), the nested *pump*
(:meth:`Executor.pump`: the owner waits for something while it goes on
serving) and :func:`spawn_executor` (an executor's greenlet is a pooled
worker, :mod:`gnet.runtime.workers`).  The loop's runner and every
connection's runner (:mod:`gnet.runtime.runner`) are executors.

Pumping.  Node's ``await`` in a callback lets the loop go on; a greenlet
that blocks in its own executor would stop it.  So :func:`gnet.once` and
blocking iteration, called in an executor's greenlet, call :meth:`Executor.pump`
instead of parking: the owner runs its own work -- ticks, readiness
events, the loop's timers and immediates -- re-entrantly until the awaited
event has come.  Each piece of work is taken off its queue (or its flag
cleared) before it runs, so a nested pump never runs one twice; a tick
batch interrupted by a pump is finished, in order, by the pump first.
Must not import: the loop module (it imports this one; an executor only
needs its loop's ``hub`` and ``report``), streams, sockets.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, Iterator, List, Optional, Protocol, Tuple, TypeVar

from greenlet import GreenletExit, greenlet

from .workers import WorkerPool

__all__ = ['Executor', 'spawn_executor', 'LoopLike', 'Task', 'MAX_PUMP_DEPTH', 'WaitTooDeep']

#: how deeply waits may nest in one executor's greenlet (a listener that
#: waits, re-entered by the event it waits for, waits again, ...)
MAX_PUMP_DEPTH = 32


class WaitTooDeep(RecursionError):
    """A wait would nest more than :data:`MAX_PUMP_DEPTH` deep in one greenlet."""

    code = 'ERR_GNET_WAIT_TOO_DEEP'


class LoopLike(Protocol):
    """What an executor needs of its loop (:class:`gnet.runtime.loop.Loop`)."""

    hub: Any

    def report(self, exc: BaseException, source: Any = None) -> bool: ...


Task = Tuple[Callable[..., Any], Tuple[Any, ...]]


L = TypeVar('L', bound=LoopLike)


class Executor(Generic[L]):
    """A serial task queue run by one greenlet (its *owner*).

    ``next_tick`` may be called from any greenlet; tasks always run in the
    owner, in FIFO order.  Subclasses give the owner more to wait for (timers,
    socket readiness) by defining ``_main``.
    """

    __slots__ = ('loop', '_ticks', '_running', '_depth', 'glet', '_waiting', '_woken',
                 '__weakref__')

    def __init__(self, loop: L):
        self.loop: L = loop
        self._ticks: List[Task] = []  # lighter than a deque; drained by swapping
        self._running: Optional[Iterator[Task]] = None  # the batch being run (shared by nested runs)
        self._depth = 0  # nested pumps in the owner
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
            self.loop.hub.loop.run_callback(self._resume)

    def _resume(self) -> None:  # in the hub, a turn after wake()
        # still parked?  A wait left by an exception (a gevent.Timeout around
        # a pump, a kill) must not be switched into wherever it parks next
        if self._waiting:
            self.glet.switch()  # type: ignore[union-attr]

    def wait(self) -> Any:
        """Park the owner until :meth:`wake` (or a watcher) switches back."""
        self._waiting = True
        try:
            return self.loop.hub.switch()
        finally:
            self._waiting = False
            self._woken = False

    def run_ticks(self) -> None:
        """Run queued ticks until none is left (ticks queued meanwhile included).

        Re-entrant: the batch in progress is an iterator shared with nested
        calls (from a pump inside a tick), so a nested call first runs the
        rest of its caller's batch; ticks keep their order and none runs twice.
        """
        while True:
            running = self._running
            if running is None:
                if not self._ticks:
                    return
                batch, self._ticks = self._ticks, []  # ticks queued meanwhile land in the new list
                running = self._running = iter(batch)
            for fn, args in running:
                try:
                    fn(*args)
                except BaseException as exc:  # noqa: BLE001 - the uncaught-exception rule
                    if isinstance(exc, GreenletExit):  # it must end the greenlet it hit
                        raise
                    self.uncaught(exc)
            self._running = None

    def take_ticks(self) -> List[Task]:
        """Remove and return every tick not run yet, in order (a greenlet that ends)."""
        late = list(self._running or ()) + self._ticks
        self._running, self._ticks = None, []
        return late

    @property
    def pending(self) -> bool:
        return bool(self._ticks) or self._running is not None

    # -- waiting in the owner without stopping it ------------------------------------
    def pump(self, done: Callable[[], bool], timeout: Optional[float] = None,
             awaited: Any = None) -> bool:
        """In the owner: serve this executor until ``done()``; False if ``timeout`` passed first.

        ``timeout`` is in seconds (None: no limit); whoever makes ``done()``
        true from another greenlet calls :meth:`wake`.  ``awaited`` is the
        emitter waited on: if it is this executor's owner and it has closed
        with nothing left to run, the wait can never end, and the greenlet
        is ended with ``GreenletExit`` (as Node forgets an ``await`` that
        can never resume).  Raises :class:`WaitTooDeep` beyond
        :data:`MAX_PUMP_DEPTH` nested pumps.
        """
        if self._depth >= MAX_PUMP_DEPTH:
            raise WaitTooDeep('gnet: waits nested more than %d deep in one greenlet'
                              % MAX_PUMP_DEPTH)
        expired = [False]
        timer = None
        if timeout is not None:
            def expire() -> None:  # in the hub
                expired[0] = True
                self.wake()
            timer = self.loop.hub.loop.timer(max(0.0, timeout))
            timer.start(expire)
        self._depth += 1
        try:
            while not done():
                if expired[0]:
                    return False
                if self._step():
                    continue
                if self._hopeless(awaited):
                    raise GreenletExit()
                self._park()
            return True
        finally:
            self._depth -= 1
            if timer is not None:
                timer.close()

    def _step(self) -> bool:
        """Run one piece of ready work (subclasses add theirs); True if any ran."""
        if self._ticks or self._running is not None:
            self.run_ticks()
            return True
        return False

    def _park(self) -> None:
        """Nothing to run: wait, inside a pump, until woken."""
        self.wait()

    def _hopeless(self, awaited: Any) -> bool:
        """True if nothing can ever make ``awaited`` emit (see :meth:`pump`)."""
        return False

    def uncaught(self, exc: BaseException) -> None:
        self.loop.report(exc)


def _finished_greenlet() -> greenlet:
    glet = greenlet(lambda: None)
    glet.switch()
    return glet


#: stands for a retired executor's greenlet: dead, like the one it replaces, without
#: keeping that one (a few hundred bytes per idle connection) alive
RETIRED: greenlet = _finished_greenlet()


def spawn_executor(executor: 'Executor[Any]', main: Callable[[], Any]) -> greenlet:
    """Start ``main`` in a greenlet owned by ``executor`` (a pooled worker, or a new
    one: :mod:`gnet.runtime.workers`) from the hub's next turn; returns it.  ``main``
    returns True if its greenlet may serve another executor afterwards."""
    loop_state = executor.loop.__dict__
    pool: Optional[WorkerPool] = loop_state.get('_worker_pool')
    if pool is None:
        pool = loop_state['_worker_pool'] = WorkerPool(executor.loop.hub)
    glet = pool.start(main, executor)
    executor.glet = glet
    return glet
