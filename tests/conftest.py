"""Shared fixtures: every test ends with no leaked descriptor or greenlet.

The leak check is autouse.  It compares open descriptors and live greenlets
before and after each test, giving the loop a bounded moment to run pending
close callbacks first (cooperative yields, not a fixed sleep).
"""

import gc
import os
import time

import gevent
import pytest
from gevent.threadpool import _WorkerGreenlet
from greenlet import greenlet
from hypothesis import settings

from gnet.runtime import loop as gnet_loop
from gnet.runtime.workers import Worker

# Property tests: random examples everywhere (each run of tools/flake_hunt.py
# explores new ones), but CI's (CI=true, as .ci/run sets it) are derandomized,
# a fixed set per test, so that a submission is judged on the same examples
# each time; a failure the hunt finds becomes a fixed regression test.
settings.register_profile('ci', derandomize=True, print_blob=True)
if os.environ.get('CI', '').lower() in ('1', 'true', 'yes'):
    settings.load_profile('ci')


def open_fds():
    return set(os.listdir('/proc/self/fd'))


def live_greenlets():
    """Live greenlets of this thread (gevent's resolver threadpool workers
    live in their own threads, are process-wide and are not counted)."""
    return {id(g) for g in gc.get_objects()
            if isinstance(g, greenlet) and not g.dead and g.parent is not None
            and not isinstance(g, _WorkerGreenlet) and not _idle_worker(g)}


def _idle_worker(g):
    """A gnet worker waiting in its pool for the next executor: kept on purpose
    (gnet.runtime.workers), and holding nothing of the executors it served."""
    return isinstance(g, Worker) and g.gnet_executor is None and g.job is None


def _settle(deadline_s=2.0):
    """Let pending ticks and close callbacks run; bounded."""
    with gevent.Timeout(deadline_s, False):
        for turn in range(200):
            gevent.sleep(0)
            loop = gnet_loop.get_loop()
            # a socket's 'close' runs in its own greenlet a few hub turns
            # after destroy(): give those turns before trusting the runner
            if turn >= 3 and not loop.runner.pending and not loop._immediates:
                break


@pytest.fixture(autouse=True)
def no_leaks(request):
    if request.node.get_closest_marker('no_leak_check'):
        yield
        return
    gnet_loop.get_loop()  # the runner greenlet is process-wide, not a leak
    _settle()
    gc.collect()
    fds, glets = open_fds(), live_greenlets()
    refs = gnet_loop.get_loop()._refs
    yield
    leaked_fds = leaked_glets = ()
    with gevent.Timeout(5, False):
        while True:
            _settle()
            gc.collect()
            leaked_fds = open_fds() - fds
            leaked_glets = live_greenlets() - glets
            leaked_refs = gnet_loop.get_loop()._refs - refs
            if not leaked_fds and not leaked_glets and not leaked_refs:
                break
            gevent.sleep(0.01)
    gnet_loop.get_loop()._uncaught.clear()
    assert not leaked_fds, 'leaked descriptors: %s' % sorted(
        '%s->%s' % (fd, _readlink(fd)) for fd in leaked_fds)
    assert not leaked_glets, 'leaked %d greenlet(s)' % len(leaked_glets)
    loop = gnet_loop.get_loop()
    if loop._refs != refs:
        loop._refs = refs  # do not let one test's leak fail the next ones
        pytest.fail('leaked %d loop reference(s) (handles: %d)' % (leaked_refs, len(loop._handles)))


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    """A throw-away test PKI (gnet.testing.pki), made once per test module."""
    from gnet.testing.pki import make_pki
    return make_pki(str(tmp_path_factory.mktemp('pki')))


@pytest.fixture
def tls_server(pki, tmp_path):
    """``start(transport, listener=None, **options)`` -> a listening TLS server with the
    PKI's leaf (closed, with its connections, after the test)."""
    from net_helpers import tls_servers
    with tls_servers(pki.leaf, tmp_path) as start:
        yield start


def _readlink(fd):
    try:
        return os.readlink('/proc/self/fd/%s' % fd)
    except OSError:
        return '?'


def pytest_configure(config):
    config.addinivalue_line('markers', 'no_leak_check: skip the descriptor/greenlet leak check')


class _FileProgress:
    """A line as each test file starts, with the time spent so far, so a
    slow or stuck file is visible in CI's log (pytest's own per-file line is
    written only as its tests finish)."""

    def __init__(self, reporter):
        self.reporter = reporter
        self.started = time.monotonic()
        self.current = None

    def pytest_runtest_logstart(self, nodeid, location):
        path = nodeid.split('::', 1)[0]
        if path != self.current and self.reporter.verbosity >= 0:
            self.current = path
            self.reporter.ensure_newline()
            self.reporter.write_line('[%4.0f s] %s' % (time.monotonic() - self.started, path))


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    reporter = session.config.pluginmanager.get_plugin('terminalreporter')
    if reporter is not None:
        session.config.pluginmanager.register(_FileProgress(reporter), 'gnet-file-progress')


import sys as _sys  # noqa: E402
_sys.path.insert(0, os.path.dirname(__file__))  # tests/net_helpers.py
