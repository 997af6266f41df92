"""gnet.runtime.workers: a greenlet whose executor ended serves the next one.

The pool is driven directly here (jobs in place of executors' mains); the
integration test at the end shows a closed connection's greenlet serving the
next connection over each transport.
"""

import contextvars

import gevent
import pytest
from gevent.event import Event
from greenlet import getcurrent

import gnet
from gnet.runtime import workers
from gnet.runtime.workers import WorkerPool
from net_helpers import TRANSPORTS, WAIT, collect, connect_options, echo, serving, wait_close

marker = contextvars.ContextVar('marker', default='unset')


def run_job(pool, job, executor=None):
    """Start ``job`` in the pool; returns (worker, done Event, result box)."""
    done, box = Event(), {}

    def wrapped():
        try:
            box['executor'] = getcurrent().gnet_executor
            box['value'] = job()
            return box['value']
        finally:
            done.set()
    worker = pool.start(wrapped, executor)
    assert done.wait(WAIT)
    gevent.sleep(0)  # the worker parks (or ends) right after the job returns
    return worker, box


@pytest.fixture
def pool():
    pool = WorkerPool(gevent.get_hub(), size=2)
    yield pool
    for worker in list(pool.idle):  # end the idle workers: the leak check counts the rest
        gevent.kill(worker)
    gevent.sleep(0)
    assert not pool.idle


def test_a_worker_whose_job_ended_serves_the_next_job(pool):
    first, box = run_job(pool, lambda: True, executor='A')
    assert box['executor'] == 'A'
    assert pool.idle == [first] and not first.dead and first.gnet_executor is None
    second, box = run_job(pool, lambda: True, executor='B')
    assert second is first and box['executor'] == 'B'


def test_a_job_that_gives_its_greenlet_up_ends_it(pool):
    worker, _ = run_job(pool, lambda: False)
    assert worker.dead and pool.idle == []


def test_an_exception_kept_after_the_job_does_not_keep_its_worker(pool):
    import weakref
    kept = []

    def job():
        try:
            raise KeyError('kept by the connection, as a socket keeps its error')
        except KeyError as exc:
            kept.append(exc)  # its traceback reaches the frames below the job
        return False
    worker, _ = run_job(pool, job)
    ref = weakref.ref(worker)
    del worker
    assert ref() is None and kept[0].__traceback__ is not None


def test_a_full_pool_lets_the_extra_worker_end(pool):
    release = Event()
    started = [pool.start(lambda: release.wait(WAIT) and True, None) for _ in range(3)]
    gevent.sleep(0)
    release.set()
    with gevent.Timeout(WAIT):
        while sum(w.dead for w in started) < 1:
            gevent.sleep(0.001)
    assert len(pool.idle) == 2 and all(not w.dead for w in pool.idle)
    assert len({id(w) for w in started}) == 3


def test_the_next_job_starts_with_an_empty_context(pool):
    def set_marker():
        marker.set('first job')
        return True
    first, _ = run_job(pool, set_marker)
    seen = []
    second, _ = run_job(pool, lambda: seen.append(marker.get()) or True)
    assert second is first and seen == ['unset']


def test_an_idle_worker_killed_leaves_the_pool(pool):
    worker, _ = run_job(pool, lambda: True)
    gevent.kill(worker)
    gevent.sleep(0)
    assert worker.dead and pool.idle == []


def test_an_error_thrown_into_an_idle_worker_ends_it_outside_the_pool(pool, monkeypatch):
    hub, reported = gevent.get_hub(), []
    monkeypatch.setattr(hub, 'handle_error', lambda *args: reported.append(args[2]))
    worker, _ = run_job(pool, lambda: True)
    gevent.kill(worker, ValueError('meant for the connection it served'))
    with gevent.Timeout(WAIT):
        while not worker.dead:
            gevent.sleep(0)
    assert pool.idle == [] and [type(exc) for exc in reported] == [ValueError]
    fresh, box = run_job(pool, lambda: True, executor='next')
    assert fresh is not worker and box['executor'] == 'next'


def test_an_exception_out_of_a_job_ends_its_worker(pool, monkeypatch):
    hub, reported = gevent.get_hub(), []
    monkeypatch.setattr(hub, 'handle_error', lambda *args: reported.append(args[2]))

    def fail():
        raise ZeroDivisionError('boom')
    worker = pool.start(fail, None)
    with gevent.Timeout(WAIT):
        while not worker.dead:
            gevent.sleep(0)
    assert [type(exc) for exc in reported] == [ZeroDivisionError]  # as from any greenlet's callback
    assert pool.idle == [] and worker.gnet_executor is None


def test_the_default_pool_is_small():
    assert 0 < workers.POOL_SIZE <= 64


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_closed_connections_greenlet_serves_the_next_connection(transport, tmp_path):
    pool = gnet.runtime.loop.get_loop().__dict__['_worker_pool']
    with serving(transport, echo, tmp_path) as server:
        idle_before = []
        for _ in range(2):
            idle_before.append(list(pool.idle))
            sock = gnet.connect(connect_options(server))
            gnet.once(sock, 'connect', timeout=WAIT)
            glet = sock._runner.glet
            chunks, ended = collect(sock)
            sock.end(b'ping')
            assert ended.wait(WAIT) and b''.join(chunks) == b'ping'
            wait_close(sock)
            with gevent.Timeout(WAIT):  # its last ticks run, then its worker parks
                while glet not in pool.idle:
                    gevent.sleep(0)
            assert glet.gnet_executor is None and sock._runner.glet is not glet
        # the second connection ran in a greenlet that had served the first
        assert glet in idle_before[1]
