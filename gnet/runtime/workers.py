"""Worker greenlets: each serves one executor, then waits in a pool for the next.

Owns: :class:`Worker` (the greenlet an executor's main runs in; it knows
that executor, for ``next_tick``) and :class:`WorkerPool` (the idle workers
of one hub, at most :data:`POOL_SIZE`).
Must not import: the loop, runners, streams, sockets.

Why a pool: on Python 3.11 and later each greenlet has its own frame data
stack, a 16 KiB chunk mapped (``mmap``) at its first Python call and
unmapped when it dies, so a new greenlet per connection costs two system
calls and fresh pages on top of the greenlet itself.  A worker whose
executor ended normally (a closed connection) keeps its stack and serves
the next executor instead.  A worker whose executor gave it up while idle
(a retirement) or was killed is not kept: it dies, and its memory goes back.

What a worker does not carry from one executor to the next: its executor
link and its ``contextvars`` context (reset to empty, as a new greenlet's).
``gevent.local`` state is keyed by greenlet and does carry over; gnet's
greenlet per connection is an implementation detail, not an identity a
listener may rely on (a connection idle for a reaping interval moves to
another greenlet too).
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional

from greenlet import GreenletExit, getcurrent, greenlet

__all__ = ['Worker', 'WorkerPool', 'POOL_SIZE']

#: idle workers kept per hub; enough for a burst of short connections, small
#: next to the per-connection memory of an idle server
POOL_SIZE = 32


class Worker(greenlet):
    """A greenlet that runs executors' mains one after another.

    ``gnet_executor`` is the executor being served (None while idle); a main
    returns True when its greenlet may serve another executor.
    """

    def __init__(self, pool: 'WorkerPool', parent: greenlet):
        # a function, not a bound method: greenlet keeps ``run`` while it lives,
        # and a bound method would make a cycle that only the cyclic GC frees
        greenlet.__init__(self, _work, parent)
        self.pool = pool
        self.job: Optional[Callable[[], Any]] = None
        self.gnet_executor: Any = None


def _work() -> None:
    """The body of every worker: run its job, then wait in the pool for the next.

    While a job runs, this frame holds the job and nothing else: an exception
    kept by the job (a socket's error, a reported one) keeps the frames below
    its traceback alive, and the worker must not be among what they reach.
    """
    while True:
        job = _take_job()
        try:
            reusable = job() if job is not None else False
        finally:
            _current_worker().gnet_executor = None
        del job  # nothing of the executor stays reachable from an idle worker
        if not reusable or not _wait_in_pool():
            return


def _current_worker() -> Worker:
    worker = getcurrent()
    assert isinstance(worker, Worker)
    return worker


def _take_job() -> Optional[Callable[[], Any]]:
    worker = _current_worker()
    job, worker.job = worker.job, None
    return job


def _wait_in_pool() -> bool:
    """Idle in the pool until handed a job (True), or end the worker (False)."""
    worker = _current_worker()
    pool = worker.pool
    if not pool.keep(worker):
        return False
    worker.gr_context = None
    try:
        pool.hub.switch()  # idle, until start() hands over a job
    except BaseException as exc:  # thrown in while idle, through a stale reference
        if worker.job is not None:
            return True  # already handed the next job: the throw was meant for the last one
        pool.drop(worker)
        if isinstance(exc, GreenletExit):
            return False
        raise  # it ends this greenlet, as it would have ended the last one's
    return True


class WorkerPool:
    """The idle workers of one hub (LIFO: the most recently used stack is warmest)."""

    __slots__ = ('hub', 'idle', 'size')

    def __init__(self, hub: Any, size: int = POOL_SIZE):
        self.hub = hub
        self.idle: List[Worker] = []
        self.size = size

    def start(self, job: Callable[[], Any], executor: Any) -> Worker:
        """Run ``job`` in an idle worker (or a new one) from the hub's next turn."""
        worker = self.idle.pop() if self.idle else Worker(self, self.hub)
        # alive: an idle worker leaves the list before anything can end it
        worker.job = job
        worker.gnet_executor = executor
        self.hub.loop.run_callback(worker.switch)
        return worker

    def keep(self, worker: Worker) -> bool:
        """Take ``worker`` back as idle; False if the pool is full (the worker ends)."""
        if len(self.idle) >= self.size:
            return False
        self.idle.append(worker)
        return True

    def drop(self, worker: Worker) -> None:
        if worker in self.idle:
            self.idle.remove(worker)
