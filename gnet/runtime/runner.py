"""One greenlet per connection: the executor that runs a socket or a server.

Owns: the connection's greenlet, its tick queue, readiness of its handle
(one-shot read/write watchers that wake the greenlet straight from the hub),
and the retirement of greenlets of idle connections.  Everything a socket
does -- connect, reads, flushes, its listeners -- runs here, so a listener
that blocks cooperatively holds up only its own connection, and a blocked
connection stops reading, which lets TCP flow control push back on that one
peer.
Must not import: streams, net sockets (the socket or server passes itself in
as the *owner*, which provides ``_on_readable()``, ``_on_writable()``,
``_on_uncaught(exc)`` and ``_on_killed()``: re-arm the readiness the job in
progress would have re-armed, had it not been cut short -- by a kill, or by
a wait that pumps inside it).

Waiting inside a listener: :func:`gnet.once` and ``for chunk in sock``
called in this greenlet pump it (:meth:`Executor.pump`, with
:meth:`ConnectionRunner._step`), so the socket's reads, flushes and ticks
go on while the listener waits, as Node's loop goes on during an
``await``.  A nested pump parks without the reaper: a waiting greenlet is
never retired.

Idle connections: a greenlet parked for a whole reaping interval is retired
(it returns), and the next wake-up -- readiness, a tick, ``wake()`` -- starts
a fresh one.  An idle connection then costs its objects and watchers only,
while a busy one never pays for a new greenlet per message.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Set

from greenlet import GreenletExit, getcurrent

from .executor import RETIRED, Executor, spawn_executor
from .heap import RETIRED_BEFORE_TRIM, release_free_pages
from .loop import Loop

__all__ = ['ConnectionRunner', 'REAP_INTERVAL_MS']

#: a connection parked this long (at least; at most twice) loses its greenlet
REAP_INTERVAL_MS = 1000


class _Reaper:
    """Retires the greenlets of runners parked since the previous sweep."""

    __slots__ = ('loop', 'parked', 'generation', 'timer', 'retired')

    def __init__(self, loop: Loop):
        self.loop = loop
        self.parked: Set['ConnectionRunner'] = set()
        self.generation = 0
        self.timer: Any = None
        self.retired = 0  # greenlets retired since the heap was last trimmed

    @classmethod
    def of(cls, loop: Loop) -> '_Reaper':
        reaper = loop.__dict__.get('_conn_reaper')
        if reaper is None:
            reaper = loop.__dict__['_conn_reaper'] = cls(loop)
        return reaper

    def park(self, runner: 'ConnectionRunner') -> None:
        runner._park_gen = self.generation
        self.parked.add(runner)
        if self.timer is None:
            self.timer = self.loop.set_interval(self.sweep, REAP_INTERVAL_MS).unref()

    def sweep(self) -> None:
        if self.retired >= RETIRED_BEFORE_TRIM:
            # greenlets retired by earlier sweeps have returned by now: their stacks are free
            self.retired = 0
            release_free_pages()
        self.generation += 1
        stale = self.generation - 1
        stale_runners = [r for r in self.parked if r._park_gen < stale]
        for runner in stale_runners:
            runner.retire()
        self.retired += len(stale_runners)
        if not self.parked and self.timer is not None:
            self.timer.close()
            self.timer = None


class ConnectionRunner(Executor[Loop]):
    """Serial executor for one connection; see the module docstring.

    Readiness watchers are one-shot: a watcher that fired is stopped, and the
    owner re-arms it after it read or wrote until the kernel would block.
    That way a listener that sleeps never makes the hub spin on a
    level-triggered descriptor.
    """

    __slots__ = ('owner', 'handle', '_read_ready', '_write_ready', '_job', '_finished',
                 '_retire', '_park_gen', '_last', 'idle_check')

    def __init__(self, loop: Loop, owner: Any):
        Executor.__init__(self, loop)
        self.owner: Any = owner
        self.handle: Any = None
        self._read_ready = False   # the read watcher fired, owner not yet told
        self._write_ready = False  # the write watcher fired, owner not yet told
        self._job: Optional[Callable[[], Any]] = None
        self._finished = False     # the owner closed: leave the loop when idle
        self._retire = False       # the reaper asked the parked greenlet to return
        self._park_gen = 0         # the reaper's generation when we parked
        self._last: Any = None     # (fn, args) that finish() runs a hub turn later
        self.idle_check: bool = False    # call owner._on_idle() before parking next

    # -- lifecycle ---------------------------------------------------------------
    def start(self, job: Optional[Callable[[], Any]] = None) -> None:
        """Spawn the greenlet; it runs ``job`` first, then serves the handle.

        Already running (a tick started it, as a timeout of a socket that
        never connected does): ``job`` is queued as its next task.
        """
        glet = self.glet
        if glet is not None and not glet.dead:
            if job is not None:
                self.next_tick(job)
            return
        self._job = job
        spawn_executor(self, self._main)

    def attach(self, handle: Any) -> None:
        self.handle = handle

    def finish(self, last: Optional[Callable[..., Any]] = None, *args: Any) -> None:
        """The owner is closed: the greenlet exits once its queue is empty.

        ``last(*args)``, if given, runs in this greenlet one hub turn later
        (a closed handle's callback, in libuv terms); the greenlet waits for it.
        """
        self._finished = True
        if last is not None:
            self._last = (last, args)
            self.loop.hub.loop.run_callback(self._queue_last)
        self.wake()

    def _queue_last(self) -> None:  # runs in the hub, one turn after finish()
        last, self._last = self._last, None
        if last is not None:
            # queued with a wake-up callback, not a direct switch: run() gets to
            # raise an uncaught error first, before 'close' (as Node crashes first)
            self.next_tick(last[0], *last[1])

    @property
    def alive(self) -> bool:
        return self.glet is not None and not self.glet.dead

    def _needs_greenlet(self) -> bool:
        """Started, retired since, and still serving an open owner."""
        glet = self.glet
        return glet is not None and glet.dead and not self._finished

    def _respawn(self) -> None:
        spawn_executor(self, self._main)

    def _respawn_if_dead(self) -> None:
        if self._needs_greenlet():
            self._respawn()

    def next_tick(self, fn: Callable[..., Any], *args: Any) -> None:
        glet = self.glet
        if glet is None:  # never started (a socket that never connected): start to run it
            self._ticks.append((fn, args))
            self.start()
        elif not glet.dead:
            Executor.next_tick(self, fn, *args)
        elif not self._finished:  # retired while idle: a new greenlet runs it
            self._ticks.append((fn, args))
            self._respawn()
        else:  # the connection is gone: late callbacks run on the loop's runner
            self.loop.runner.next_tick(fn, *args)

    def wake(self) -> None:
        if self._waiting:
            Executor.wake(self)
        elif self._needs_greenlet():
            self._respawn()

    def retire(self) -> None:
        """Called by the reaper: a parked greenlet returns; state stays here."""
        if self._waiting and not self._woken:
            self._retire = True
            Executor.wake(self)

    def uncaught(self, exc: BaseException) -> None:
        self.owner._on_uncaught(exc)

    # -- readiness -------------------------------------------------------------------
    def want_read(self) -> None:
        handle = self.handle
        if handle is not None and not self._read_ready and handle.fileno >= 0:
            handle.read_watcher.start(self._on_read_event)

    def stop_read(self) -> None:
        handle = self.handle
        self._read_ready = False
        if handle is not None:
            handle.read_watcher.stop()

    def want_write(self) -> None:
        handle = self.handle
        if handle is not None and not self._write_ready and handle.fileno >= 0:
            handle.write_watcher.start(self._on_write_event)

    def stop_write(self) -> None:
        handle = self.handle
        self._write_ready = False
        if handle is not None:
            handle.stop_write_watcher()

    def _on_read_event(self) -> None:  # runs in the hub
        self.handle.read_watcher.stop()
        self._read_ready = True
        self._hub_wake()

    def _on_write_event(self) -> None:  # runs in the hub
        self.handle.write_watcher.stop()
        self._write_ready = True
        self._hub_wake()

    def _hub_wake(self) -> None:
        if self._waiting:
            if not self._woken:
                self._woken = True
                self.glet.switch()  # type: ignore[union-attr]
        elif self._needs_greenlet():
            self._respawn()

    # -- the greenlet --------------------------------------------------------------------
    def _main(self) -> bool:
        """The greenlet's body; True if it ended with its connection (it may serve another)."""
        ended = False
        try:
            ended = self._serve()
        except GreenletExit:
            # gevent.kill() of this greenlet: like a retirement, the connection
            # carries on -- re-arm what it was waiting for; a new greenlet serves it
            self._waiting = self._woken = False
            owner = self.owner
            if owner is not None and not self._finished:
                owner._on_killed()
        finally:
            # this greenlet is done: drop its link to us, so that a closed
            # connection is freed by reference counting, not by the cyclic GC
            getcurrent().gnet_executor = None  # type: ignore[attr-defined]
            if self._finished:  # ended inside a pump (a wait that could never end)
                self.handle = None
                self.owner = None
            # retired or killed, the connection lives on without this greenlet;
            # ended, it is done: either way the greenlet is no longer its own
            self.glet = RETIRED
            if self.pending:
                late = self.take_ticks()
                if self._finished or self.owner is None:
                    for fn, args in late:  # queued here by the owner's last steps
                        self.loop.runner.next_tick(fn, *args)
                else:
                    self._ticks = late
                    self.loop.hub.loop.run_callback(self._respawn_if_dead)
        return ended

    def _serve(self) -> bool:
        """Serve the owner: True when it has finished, False when retired while idle."""
        job, self._job = self._job, None  # the first task; then readiness events
        if job is not None:
            self._run_job(job)
        reaper = _Reaper.of(self.loop)
        while True:
            if self._step():
                continue
            if self._finished and self._last is None:
                break
            if self.idle_check:
                self.idle_check = False
                self._run_job(self.owner._on_idle)
                continue  # it may have queued work
            reaper.park(self)
            try:
                self.wait()
            finally:
                reaper.parked.discard(self)
            if self._retire:
                self._retire = False
                if not (self.pending or self._read_ready or self._write_ready or self._finished):
                    return False  # idle: give the greenlet up; a wake-up starts another
        self.handle = None
        self.owner = None
        return True

    def _step(self) -> bool:
        """One piece of work: the ticks, else a flush, else a read (also for a pump)."""
        if self._ticks or self._running is not None:
            self.run_ticks()
            return True
        if self._write_ready:
            self._write_ready = False
            self._run_job(self.owner._on_writable)
            return True
        if self._read_ready:
            self._read_ready = False
            self._run_job(self.owner._on_readable)
            return True
        return False

    def _run_job(self, job: Callable[[], Any]) -> None:
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - the uncaught-exception rule
            if isinstance(exc, GreenletExit):
                raise
            self.uncaught(exc)

    def pump(self, done: Callable[[], bool], timeout: Optional[float] = None,
             awaited: Any = None) -> bool:
        """:meth:`Executor.pump`, after re-arming what the interrupted job would have.

        A listener waits inside a job (a read that emitted ``'data'``, say)
        that re-arms its watcher only when it returns; Node's handle keeps
        reading meanwhile, so the owner re-arms it now.
        """
        owner = self.owner
        if owner is not None and not self._finished:
            owner._on_killed()
        return Executor.pump(self, done, timeout, awaited)

    def _hopeless(self, awaited: Any) -> bool:
        """The owner is awaited, closed, and has nothing left to emit from."""
        return (awaited is not None and awaited is self.owner and self._finished
                and self._last is None and not self.pending
                and not self._read_ready and not self._write_ready)
