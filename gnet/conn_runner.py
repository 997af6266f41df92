"""One greenlet per connection: the executor that runs a socket.

Owns: the connection's greenlet, its tick queue, and readiness of its
handle (one-shot read/write watchers that wake the greenlet straight from
the hub).  Everything a socket does -- connect, reads, flushes, its
listeners -- runs here, so a listener that blocks cooperatively holds up
only its own connection, and a blocked connection stops reading, which lets
TCP flow control push back on that one peer.
Must not import: streams, net sockets (the socket passes itself in as the
*owner*, which provides ``_on_readable()`` and ``_on_writable()``).
"""

from typing import Any, Callable, Optional

from .loop import Executor, Loop, spawn_executor

__all__ = ['ConnectionRunner']


class ConnectionRunner(Executor):
    """Serial executor for one connection; see the module docstring.

    Readiness watchers are one-shot: a watcher that fired is stopped, and the
    owner re-arms it after it read or wrote until the kernel would block.
    That way a listener that sleeps never makes the hub spin on a
    level-triggered descriptor.
    """

    __slots__ = ('owner', 'handle', '_read_ready', '_write_ready', '_job', '_finished')

    def __init__(self, loop: Loop, owner: Any):
        Executor.__init__(self, loop)
        self.owner = owner
        self.handle: Any = None
        self._read_ready = False   # the read watcher fired, owner not yet told
        self._write_ready = False  # the write watcher fired, owner not yet told
        self._job: Optional[Callable[[], Any]] = None
        self._finished = False     # the owner closed: leave the loop when idle

    # -- lifecycle ---------------------------------------------------------------
    def start(self, job: Optional[Callable[[], Any]] = None) -> None:
        """Spawn the greenlet; it runs ``job`` first, then serves the handle."""
        self._job = job
        spawn_executor(self, self._main)

    def attach(self, handle: Any) -> None:
        self.handle = handle

    def finish(self) -> None:
        """The owner is closed: the greenlet exits once its queue is empty."""
        self._finished = True
        self.wake()

    @property
    def alive(self) -> bool:
        return self.glet is not None and not self.glet.dead

    def next_tick(self, fn: Callable[..., Any], *args: Any) -> None:
        glet = self.glet
        if glet is None or not glet.dead:
            Executor.next_tick(self, fn, *args)
        else:  # the connection's greenlet is gone: late callbacks run on the runner
            self.loop.runner.next_tick(fn, *args)

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
            handle.write_watcher.stop()

    def _on_read_event(self) -> None:  # runs in the hub
        self.handle.read_watcher.stop()
        self._read_ready = True
        self._hub_wake()

    def _on_write_event(self) -> None:  # runs in the hub
        self.handle.write_watcher.stop()
        self._write_ready = True
        self._hub_wake()

    def _hub_wake(self) -> None:
        if self._waiting and not self._woken:
            self._woken = True
            self.glet.switch()  # type: ignore[union-attr]

    # -- the greenlet --------------------------------------------------------------------
    def _main(self) -> None:
        owner = self.owner
        job, self._job = self._job, None
        if job is not None:
            try:
                job()
            except Exception as exc:  # noqa: BLE001 - the uncaught-exception rule
                self.uncaught(exc)
        while True:
            self.run_ticks()
            if self._write_ready:
                self._write_ready = False
                self._call(owner._on_writable)
                continue
            if self._read_ready:
                self._read_ready = False
                self._call(owner._on_readable)
                continue
            if self._finished and not self._ticks:
                break
            self.wait()
        self.handle = None
        self.owner = None

    def _call(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001
            self.uncaught(exc)
