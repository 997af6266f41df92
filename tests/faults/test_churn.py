"""Churn: many short connections (connect, exchange, close) in a row.

Guarantee (docs/reliability.md, "Churn"): connections that come and go
leave nothing behind -- after thousands of connect/exchange/close cycles the
descriptor count is back where it started and memory is flat.  5,000 cycles
per transport in CI, 50,000 with GNET_LONG=1.

Cycles run in a few concurrent workers (each one connection at a time), so
the server always has several connections opening and closing at once.
"""

import contextlib
import time

import gevent
import pytest
from gevent.event import Event

import gnet
from faults_support import fd_count, rss_mib, trim_memory
from net_helpers import WAIT, connect_options, listen_args

WORKERS = 8
#: memory growth allowed between the warmed-up point and the end, MiB
RSS_GROWTH_MIB = 4.0


def one_cycle(target, index):
    """Connect, send, read the echo, half-close; returns when 'close' fired."""
    payload = b'cycle %d' % index
    sock = gnet.connect(target)
    got = []
    closed = Event()
    errors = []
    sock.on('data', got.append)
    sock.on('error', errors.append)
    sock.on('close', lambda *a: closed.set())
    sock.end(payload)
    assert closed.wait(WAIT), 'cycle %d never closed' % index
    assert not errors, errors
    assert b''.join(got) == payload
    assert sock.bytes_written == len(payload) and sock.bytes_read == len(payload)


def run_cycles(target, indices):
    """Run the cycles ``indices`` in WORKERS concurrent workers."""
    pending = iter(indices)

    def worker():
        for index in pending:
            one_cycle(target, index)
    gevent.joinall([gevent.spawn(worker) for _ in range(WORKERS)], raise_error=True)


@contextlib.contextmanager
def echo_server(transport, tmp_path):
    """An echo server that keeps no reference to its connections (serving() keeps them all)."""
    server = gnet.create_server(lambda conn: conn.pipe(conn))
    server.listen(*listen_args(transport, tmp_path))
    gnet.once(server, 'listening', timeout=WAIT)
    try:
        yield server
    finally:
        server.close()
        gnet.once(server, 'close', timeout=WAIT)


def churn(transport, tmp_path, cycles, record_property):
    with echo_server(transport, tmp_path) as server:
        target = connect_options(server)
        warm = max(cycles // 10, 200)
        run_cycles(target, range(warm))  # caches, free lists, the reaper: warmed up
        _wait_drained(server)
        trim_memory()
        fds_warm, rss_warm = fd_count(), rss_mib()
        started = time.monotonic()
        run_cycles(target, range(warm, warm + cycles))
        elapsed = time.monotonic() - started
        _wait_drained(server)
        trim_memory()
        fds_end, rss_end = fd_count(), rss_mib()
    rate = cycles / elapsed
    record_property('cycles_per_second', round(rate))
    record_property('rss_growth_mib', round(rss_end - rss_warm, 2))
    print('%s: %d cycles in %.1f s (%.0f/s), RSS %.1f -> %.1f MiB, fds %d -> %d' % (
        transport, cycles, elapsed, rate, rss_warm, rss_end, fds_warm, fds_end))
    assert fds_end <= fds_warm, 'descriptors grew from %d to %d' % (fds_warm, fds_end)
    assert rss_end - rss_warm <= RSS_GROWTH_MIB, (rss_warm, rss_end)


def _wait_drained(server):
    with gevent.Timeout(WAIT):
        while server.connections:
            gevent.sleep(0.005)


@pytest.mark.timeout(120)
@pytest.mark.parametrize('transport', ['tcp4', 'ipc'])
def test_churn_5000_cycles(transport, tmp_path, record_property):
    churn(transport, tmp_path, 5000, record_property)


@pytest.mark.long
@pytest.mark.timeout(900)
@pytest.mark.parametrize('transport', ['tcp4', 'ipc'])
def test_churn_50000_cycles(transport, tmp_path, record_property):
    churn(transport, tmp_path, 50000, record_property)
