"""Slowloris: a crowd of idle clients against a server that times them out.

Guarantee (docs/reliability.md, "Idle clients"): a server that closes idle
connections with ``set_timeout`` sheds a crowd of idle clients -- every one
of them is closed once its idle time passes -- while a well-behaved
client's round trips stay fast throughout, including the moment the crowd's
timers all fire.  1,000 idle clients (RLIMIT_NOFILE is raised for them,
up to the hard limit).

The idle clients are plain cooperative sockets that connect and never
send; the well-behaved client is a gnet socket doing one round trip after
another.
"""

import time

import gevent
import pytest
from gevent import socket as gsocket
from gevent.event import Event

import gnet
from faults_support import raise_nofile, restore_nofile
from net_helpers import WAIT

IDLE_CLIENTS = 1000
#: the server's idle timeout, ms
IDLE_MS = 500
#: generous bound for one round trip of the well-behaved client, seconds
ROUND_TRIP_BOUND_S = 1.0


def connect_idle(port, count):
    """``count`` idle clients, connected in batches so the backlog never overflows."""
    clients = []
    for start in range(0, count, 100):
        batch = [gevent.spawn(gsocket.create_connection, ('127.0.0.1', port), WAIT)
                 for _ in range(min(100, count - start))]
        gevent.joinall(batch, raise_error=True, timeout=WAIT)
        clients.extend(g.value for g in batch)
    return clients


def peer_closed(sock):
    """True when the server closed this idle client (EOF or reset)."""
    sock.setblocking(False)
    try:
        return sock.recv(1) == b''
    except BlockingIOError:
        return False
    except OSError:
        return True


@pytest.mark.timeout(60)
def test_idle_crowd_is_timed_out_while_a_good_client_stays_fast(record_property):
    idle_crowd(IDLE_CLIENTS, record_property)


@pytest.mark.long
@pytest.mark.timeout(120)
def test_idle_crowd_of_5000(record_property):
    idle_crowd(5000, record_property)


def idle_crowd(count, record_property):
    previous, limit = raise_nofile(2 * count + 512)
    if limit < 2 * count + 128:
        restore_nofile(previous)
        pytest.skip('RLIMIT_NOFILE hard limit %d is too low for %d idle clients' % (limit, count))
    timed_out = []

    def on_connection(conn):
        conn.set_timeout(IDLE_MS, lambda: (timed_out.append(conn), conn.destroy()))
        conn.on('error', lambda err: None)
        conn.pipe(conn)

    server = gnet.create_server(on_connection)
    server.listen(0, '127.0.0.1', 4096)
    idle = []
    good = None
    try:
        gnet.once(server, 'listening', timeout=WAIT)
        port = server.address()['port']
        good = gnet.connect(port, '127.0.0.1')
        gnet.once(good, 'connect', timeout=WAIT)
        latencies = []
        stop = Event()

        def round_trips():
            while not stop.is_set():
                started = time.monotonic()
                good.write(b'ping')
                gnet.once(good, 'data', timeout=WAIT)
                latencies.append(time.monotonic() - started)
                gevent.sleep(0.005)   # pacing: one round trip every few ms

        pinger = gevent.spawn(round_trips)
        started = time.monotonic()
        idle = connect_idle(port, count)
        connected_s = time.monotonic() - started
        with gevent.Timeout(WAIT + IDLE_MS / 1000.0):
            while len(timed_out) < count:
                gevent.sleep(0.01)
        shed_s = time.monotonic() - started
        with gevent.Timeout(WAIT):
            while not all(peer_closed(sock) for sock in idle):
                gevent.sleep(0.01)
        stop.set()
        pinger.join(WAIT)
        assert pinger.successful(), pinger.exception
        assert good not in timed_out, 'the active client was timed out'
        assert server.connections == 1
        worst = max(latencies)
        median = sorted(latencies)[len(latencies) // 2]
        record_property('round_trips', len(latencies))
        record_property('worst_round_trip_ms', round(worst * 1000, 1))
        record_property('median_round_trip_ms', round(median * 1000, 2))
        print('%d idle clients connected in %.2f s, all shed after %.2f s; %d round trips, '
              'median %.2f ms, worst %.1f ms' % (count, connected_s, shed_s,
                                                len(latencies), median * 1000, worst * 1000))
        assert len(latencies) > 50
        assert worst < ROUND_TRIP_BOUND_S, latencies
    finally:
        for sock in idle:
            sock.close()
        if good is not None:
            good.destroy()
        server.close()
        with gevent.Timeout(WAIT, False):
            while server.connections:
                gevent.sleep(0.01)
        restore_nofile(previous)
