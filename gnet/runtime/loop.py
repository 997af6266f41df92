"""The event loop: Node's scheduling model on gevent's hub.

Owns: ``next_tick``, immediates, timers (Timeout objects), reference
accounting for ``run()``, the uncaught-exception rule, and the loop's own
executor (:class:`gnet.runtime.executor.Executor`).
Must not import: streams, sockets, servers.  gevent is imported only by the
I/O packages -- ``gnet.runtime``, ``gnet.net``, ``gnet.proxy``,
``gnet.cluster``, ``gnet.cli`` (tests/unit/test_layering.py); the loop, the
executors and the handles own the hub's watchers, and the others reach the
hub through them or through gevent's blocking primitives.

The model
---------
* Work runs in *executors*.  The loop's own executor (one greenlet, the
  "runner") runs timers, immediates and ticks queued from plain greenlets.
  Each socket later gets an executor of its own, so its listeners run in its
  greenlet and a listener that blocks stalls only that socket.
* ``next_tick(fn)`` queues on the executor of the calling greenlet (or on the
  runner); an executor drains its whole tick queue after every task and
  before it waits, so every queued tick runs before the next immediate or
  timer of that executor -- Node's microtask rule.
* Timers live in one heap ordered by (due time, creation order) with a
  single gevent timer armed for the earliest; a 0 ms timer is a 1 ms timer
  and never fires inside the call that set it.
* ``run()`` blocks until no referenced timer, immediate, tick or handle is
  left.  An uncaught exception (an ``'error'`` nobody listens to, an
  exception from a listener or callback) goes to the ``'uncaughtException'``
  listeners of :data:`gnet.process` if there are any (serving goes on);
  otherwise it is raised out of ``run()``, or with no ``run()`` active it
  is logged on the ``gnet`` logger (:meth:`Loop.report`, the one place of
  the rule).
* A wait (``gnet.once``) in the runner's own greenlet -- a timer callback
  that awaits an event -- pumps the runner (:meth:`Executor.pump`): timers,
  immediates and ticks go on meanwhile, and while it has nothing to run the
  runner counts as idle, so ``run()`` returns as Node exits with an
  ``await`` pending.
"""

from __future__ import annotations

import heapq
import logging
import time
from collections import deque
from typing import Any, Callable, Deque, List, Optional, Set, Tuple

from gevent.hub import get_hub
from greenlet import GreenletExit, getcurrent
from zope.interface import implementer

from ..interfaces import ILoop
from .executor import Executor, spawn_executor
from .process import process
from .timers import TIMEOUT_MAX, Immediate, Timeout

__all__ = ['get_loop', 'run', 'next_tick', 'set_immediate', 'clear_immediate',
           'set_timeout', 'clear_timeout', 'set_interval', 'clear_interval',
           'Timeout', 'Immediate', 'Executor', 'report', 'TIMEOUT_MAX', 'current_executor']

log: logging.Logger = logging.getLogger('gnet')


def current_executor() -> Executor[Any]:
    return getattr(getcurrent(), 'gnet_executor', None) or get_loop().runner


class _Runner(Executor['Loop']):
    """The loop's own executor: timers, immediates, and ticks from plain greenlets."""

    __slots__ = ('idle',)

    def __init__(self, loop: 'Loop'):
        Executor.__init__(self, loop)
        self.idle: bool = False  # parked with nothing to run (a callback may block otherwise)

    def _main(self) -> None:
        loop = self.loop
        while True:
            self.idle = False
            self.run_ticks()
            loop._run_due_timers(self)
            loop._run_immediates(self)
            if not self._ticks and not loop._immediates:
                self._park()

    def _step(self) -> bool:
        """For a pump: the ticks, else one due timer, else one immediate."""
        if self._ticks or self._running is not None:
            self.run_ticks()
            return True
        loop = self.loop
        return loop._run_due_timers(self, 1) or loop._run_immediates(self, 1)

    def _park(self) -> None:
        self.idle = True
        self.loop._maybe_idle()
        try:
            self.wait()
        finally:
            self.idle = False


@implementer(ILoop)
class Loop:
    """One per gevent hub; reach it with :func:`get_loop`."""

    def __init__(self, hub: Any):
        self.hub = hub
        self._immediates: Deque[Immediate] = deque()
        self._imm_seq = 0
        self._heap: List[Tuple[float, int, Timeout]] = []
        self._seq = 0
        self._watcher: Any = None
        self._watcher_due = 0.0
        self._refs = 0
        # gnet's own watchers are unreferenced (gnet counts references itself);
        # this one is active while gnet holds references, so that gevent's hub
        # stays alive for them too (gevent.wait(), blocking helpers, run())
        self._keepalive = hub.loop.async_()
        self._handles: Set[Any] = set()   # the referenced handles themselves
        self._uncaught: List[BaseException] = []
        self._run_depth = 0
        self._run_waiter: Any = None
        self.runner: _Runner = _Runner(self)
        spawn_executor(self.runner, self.runner._main)

    # -- ticks, immediates, timers ------------------------------------------------
    def next_tick(self, fn: Callable[..., Any], *args: Any) -> None:
        current_executor().next_tick(fn, *args)

    def set_immediate(self, fn: Callable[..., Any], *args: Any) -> Immediate:
        immediate = Immediate(self, fn, args)
        self._immediates.append(immediate)
        self._add_ref()
        self.runner.wake()
        return immediate

    def set_timeout(self, fn: Callable[..., Any], ms: Any = 1, *args: Any) -> Timeout:
        timer = Timeout(self, fn, ms, args, False)
        self._schedule(timer)
        return timer

    def set_interval(self, fn: Callable[..., Any], ms: Any = 1, *args: Any) -> Timeout:
        timer = Timeout(self, fn, ms, args, True)
        self._schedule(timer)
        return timer

    def _schedule(self, timer: Timeout) -> None:
        if not timer._active:
            timer._active = True
            if timer._ref:
                self._add_ref()
        self._seq += 1
        timer._seq = self._seq
        timer._due = time.monotonic() + timer._delay
        heapq.heappush(self._heap, (timer._due, timer._seq, timer))
        self._arm()

    def _cancel(self, timer: Timeout) -> None:
        if timer._active:
            timer._active = False
            if timer._ref:
                self._drop_ref()
            # the heap entry is skipped lazily (its seq no longer matches); until
            # then it must not keep what the callback references alive (a closed
            # socket with a long idle timeout), and a closed timer never runs again
            timer._seq = -1
            timer._fn, timer._args = _noop, ()

    def _arm(self) -> None:
        """Keep one gevent timer armed for the earliest live heap entry."""
        heap = self._heap
        while heap and heap[0][2]._seq != heap[0][1]:
            heapq.heappop(heap)
        if not heap:
            return
        due = heap[0][0]
        if self._watcher is not None and self._watcher.active and self._watcher_due <= due:
            return
        if self._watcher is not None:
            # close, not just stop: under libuv an unclosed watcher that is
            # garbage-collected is a use-after-free (gevent issue #1805)
            self._watcher.close()
        delay = max(0.001, due - time.monotonic())  # libuv has 1 ms resolution
        self._watcher = self.hub.loop.timer(delay, ref=False)
        self._watcher_due = due
        self._watcher.start(self.runner.wake)

    def _run_due_timers(self, runner: Executor[Any], limit: int = -1) -> bool:
        """Run due timers (at most ``limit`` of them if >= 0); True if any ran."""
        heap = self._heap
        now = time.monotonic()
        ran = False
        while heap and heap[0][0] <= now + 0.0005 and limit != 0:
            due, seq, timer = heapq.heappop(heap)
            if timer._seq != seq:
                continue
            ran = True
            limit -= 1
            if timer._repeat:
                self._seq += 1
                timer._seq = self._seq
                timer._due = now + timer._delay
                heapq.heappush(heap, (timer._due, timer._seq, timer))
            else:
                timer._active = False
                timer._seq = -1
                if timer._ref:
                    self._drop_ref()
            try:
                timer._fn(*timer._args)
            except BaseException as exc:  # noqa: BLE001 - the uncaught-exception rule
                if isinstance(exc, GreenletExit):  # it must end the greenlet it hit
                    raise
                self.report(exc)
            runner.run_ticks()
        if heap or ran:
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None
            self._arm()
        return ran

    def _run_immediates(self, runner: Executor[Any], limit: int = -1) -> bool:
        """Run this turn's immediates (at most ``limit`` if >= 0); True if any ran.

        Those queued meanwhile wait a turn, as in Node; re-entrant (a pump in
        an immediate goes on with the same queue).
        """
        queue = self._immediates
        last = self._imm_seq
        ran = False
        while queue and queue[0]._seq <= last and limit != 0:
            immediate = queue.popleft()
            if not immediate._pending:
                continue
            ran = True
            limit -= 1
            immediate._pending = False
            if immediate._ref:
                self._drop_ref()
            try:
                immediate._fn(*immediate._args)
            except BaseException as exc:  # noqa: BLE001 - the uncaught-exception rule
                if isinstance(exc, GreenletExit):  # it must end the greenlet it hit
                    raise
                self.report(exc)
            runner.run_ticks()
        return ran

    # -- reference accounting -------------------------------------------------------
    def _add_ref(self) -> None:
        self._refs += 1
        if self._refs == 1:
            self._keepalive.start(_noop)

    def _drop_ref(self) -> None:
        self._refs -= 1
        if self._refs <= 0:
            self._keepalive.stop()
            self._maybe_idle()

    def ref_handle(self, handle: Any) -> None:
        """``handle`` (a socket or server, hashed by identity) keeps ``run()`` going.

        The loop holds it, as Node's loop holds an active handle: keying by
        ``id()`` let a freed handle's number be taken by a new one.
        """
        handles = self._handles
        if handle not in handles:
            handles.add(handle)
            self._add_ref()

    def unref_handle(self, handle: Any) -> None:
        handles = self._handles
        if handle in handles:
            handles.discard(handle)
            self._drop_ref()

    def alive(self) -> bool:
        """True while something referenced (or queued) is left."""
        runner = self.runner
        # woken: about to run (a wait in it may have just been answered)
        return self._refs > 0 or runner.pending or not runner.idle or runner._woken

    def _maybe_idle(self) -> None:
        if self._run_waiter is not None and not self.alive():
            self._poke_run()

    def _poke_run(self) -> None:
        waiter = self._run_waiter
        if waiter is not None and not waiter.ready():
            waiter.set()

    # -- uncaught exceptions and run() -------------------------------------------------
    def report(self, exc: BaseException, source: Any = None,
               origin: str = 'uncaughtException') -> bool:
        """The uncaught-exception rule (docs/api.md, "Uncaught exceptions"); True: serve on.

        As in Node's process: an ``origin`` ``'unhandledRejection'`` (a
        :func:`gnet.spawn` greenlet) goes to ``'unhandledRejection'``
        listeners if any (``(exc, source)``); otherwise
        ``'uncaughtExceptionMonitor'`` listeners see ``(exc, origin)``, then
        ``'uncaughtException'`` listeners take it, and the program goes on
        (True: the object involved carries on, as in Node).  With no such
        listener, or if one raises (its exception replaces ``exc``), it is
        fatal (False): raised out of ``run()``, or logged if no ``run()``
        is active.
        """
        try:
            if origin == 'unhandledRejection' and process.listener_count('unhandledRejection'):
                process.emit('unhandledRejection', exc, source)
                return True
            process.emit('uncaughtExceptionMonitor', exc, origin)
            if process.listener_count('uncaughtException'):
                process.emit('uncaughtException', exc, origin)
                return True
        except Exception as failure:  # noqa: BLE001 - a failing handler is fatal (Node exits 7)
            if failure is not exc and failure.__context__ is None:
                failure.__context__ = exc
            exc = failure
        self._fatal(exc, source)
        return False

    def _fatal(self, exc: BaseException, source: Any) -> None:
        if self._run_depth > 0:
            self._uncaught.append(exc)
            self._poke_run()
        else:
            log.error('uncaught exception%s', ' in %r' % (source,) if source is not None else '',
                      exc_info=(type(exc), exc, exc.__traceback__))

    def run(self) -> None:
        from gevent.event import Event  # the one blocking primitive run() needs
        self._run_depth += 1
        # while run() waits, the hub must not declare LoopExit even if nothing
        # referenced is left for an instant (run() itself decides when to return)
        keepalive = self.hub.loop.async_()
        keepalive.start(_noop)
        try:
            while True:
                if self._uncaught:
                    raise self._uncaught.pop(0)
                if not self.alive():
                    return
                self._run_waiter = Event()
                self.runner.wake()
                self._run_waiter.wait()
        finally:
            keepalive.stop()
            keepalive.close()
            self._run_depth -= 1
            if self._run_depth == 0:
                self._run_waiter = None


_loop: Optional[Loop] = None


def _noop() -> None:
    return None


def get_loop() -> Loop:
    """The Loop of the current gevent hub (created on first use)."""
    global _loop
    loop = _loop
    if loop is None or loop.hub.dead or loop.hub is not get_hub():
        loop = _loop = Loop(get_hub())
    return loop


def next_tick(fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn(*args)`` after the current task of this executor, before timers."""
    executor = getattr(getcurrent(), 'gnet_executor', None)
    if executor is not None:
        # we run in the executor's own greenlet: it drains its queue before it waits
        executor._ticks.append((fn, args))
        return
    get_loop().runner.next_tick(fn, *args)


def set_immediate(fn: Callable[..., Any], *args: Any) -> Immediate:
    return get_loop().set_immediate(fn, *args)


def set_timeout(fn: Callable[..., Any], ms: Any = 1, *args: Any) -> Timeout:
    return get_loop().set_timeout(fn, ms, *args)


def set_interval(fn: Callable[..., Any], ms: Any = 1, *args: Any) -> Timeout:
    return get_loop().set_interval(fn, ms, *args)


def _clear(timer: Any) -> None:
    if timer is not None and hasattr(timer, 'close'):
        timer.close()


def clear_timeout(timer: Optional[Timeout]) -> None:
    _clear(timer)


clear_interval: Callable[[Optional[Timeout]], None] = clear_timeout


def clear_immediate(immediate: Optional[Immediate]) -> None:
    _clear(immediate)


def run() -> None:
    """Serve until nothing referenced is left; re-raise an uncaught exception."""
    get_loop().run()


def report(exc: BaseException, source: Any = None) -> bool:
    return get_loop().report(exc, source)
