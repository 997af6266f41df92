"""Chaos through ``gnet proxy``: hundreds of clients misbehaving at once.

Guarantee (docs/reliability.md, "Chaos through gnet proxy"): the proxy loses
no byte of a stream nobody broke, closes every connection somebody broke,
leaks no descriptor, and keeps serving.

Topology: clients (this process, plain gevent sockets) --> ``gnet -v proxy``
(a subprocess, the system under test) --> backend (this process, plain
gevent sockets).  Nothing on either side of the proxy is gnet: what is
tested is the proxy alone.

Each client sends an 8-byte header (its id), then ``up`` bytes; the backend
looks the id up and sends ``down`` bytes back.  Both payloads are derived
from the seed and the id (SHAKE-256), so each side knows what it must
receive.  Per connection the seeded RNG draws:

* the sizes (0, a packet, up to 64 KiB, or up to 512 KiB each way);
* the half-close order: the client ends first and the backend keeps
  sending after that FIN reached it, or the backend ends first and the
  client keeps sending after that FIN reached it, or both at once;
* half the clients idle for up to 1 s before its first byte, writers pausing
  between chunks, a slow reader on either side (small reads, stalls);
* a fault: the client or the backend closes with RST (SO_LINGER 0) after a
  random number of bytes.

Once a quarter of the clients are done, the backend restarts: it closes its listener and every
live connection, stays down for a while (connections made then are
refused upstream by the proxy), and listens again on the same port.

Checks: every connection ends (no hang) within the time cap.  A stream that
is *undisturbed* (no RST drawn, its backend connection not cut by the
restart, not refused during it) must arrive complete, byte-exact by
SHA-256, in both directions, each ended by a FIN.  A disturbed one must
still be a prefix of what was sent.  Afterwards the backend has no
connection left (the proxy closed every upstream), the proxy has logged one
line per accepted connection (both sides of every pair closed), its
``/proc/PID/fd`` count is back to its baseline, it still serves a clean
connection, and it exits 0 on SIGINT with no traceback.

Bounded: 900 clients, 300 at a time, capped at 60 s (about 4 s here);
GNET_LONG=1 adds a run 10x the size (9,000 clients, 3,000 at a time, capped
at 480 s, about 40 s here).  The seed is random and printed; CI=true fixes
it; GNET_CHAOS_SEED=N replays a run.  What gnet proxy exposes from outside
is its descriptors (``/proc/PID/fd``) and its log, so pairs stand in for
greenlets: each pair's log line comes after both of its sockets closed.
"""

import hashlib
import os
import random
import re
import signal
import socket
import struct
import time

import gevent
import pytest
from gevent import socket as gsocket
from gevent.event import Event

from faults_support import LINGER_RESET, raise_nofile, restore_nofile, rss_mib, wait_until
from proc_helpers import Proc, gnet_cmd

#: seconds any one socket operation or expected event may take
WAIT = 20
#: descriptors the proxy may hold over its baseline once every client closed
FD_MARGIN = 2
HEADER = struct.Struct('!q')
CI_SEED = 18


def chaos_seed():
    """GNET_CHAOS_SEED if set, a fixed seed under CI=true, else a random one."""
    if os.environ.get('GNET_CHAOS_SEED'):
        return int(os.environ['GNET_CHAOS_SEED'])
    if os.environ.get('CI', '').lower() in ('1', 'true', 'yes'):
        return CI_SEED
    return random.SystemRandom().randrange(1 << 31)


def payload(seed, cid, direction, size):
    """The bytes of one direction of one connection, known to both ends."""
    return hashlib.shake_256(b'%d %d %s' % (seed, cid, direction)).digest(size) if size else b''


def draw_size(rng):
    roll = rng.random()
    if roll < 0.1:
        return 0
    if roll < 0.4:
        return rng.randint(1, 1460)
    if roll < 0.85:
        return rng.randint(1461, 64 * 1024)
    return rng.randint(64 * 1024, 512 * 1024)


class Plan:
    """What one connection does, drawn from the seeded RNG."""

    def __init__(self, seed, cid, rng):
        self.cid = cid
        self.seed = seed
        self.sizes = {'up': draw_size(rng), 'down': draw_size(rng)}
        self.order = rng.choice(['client_first', 'backend_first', 'together'])
        self.client_slow = rng.random() < 0.3
        self.backend_slow = rng.random() < 0.3
        self.idle_s = rng.uniform(0.001, 1) if rng.random() < 0.5 else 0  # before the first byte
        roll = rng.random()
        self.fault = 'client_rst' if roll < 0.12 else 'backend_rst' if roll < 0.2 else None
        self.fault_after = rng.randint(0, self.sizes['up'] + self.sizes['down'])
        self.rng = random.Random(rng.getrandbits(64))  # chunk sizes and stalls
        self.client = None   # End: what the client saw
        self.backend = None  # End: what the backend saw (None: never reached it)
        self.started = self.connected = self.ended = None

    def data(self, direction):
        """The bytes sent ``direction`` ('up' or 'down'), regenerated on demand."""
        return payload(self.seed, self.cid, direction.encode(), self.sizes[direction])


class Incoming:
    """One direction as its receiver sees it: a running SHA-256 and a prefix check."""

    def __init__(self, expected):
        self.size = len(expected)
        self.digest = hashlib.sha256(expected).digest()
        self.view = memoryview(expected)
        self.got = 0
        self.sha = hashlib.sha256()
        self.prefix = True  # everything so far is what the sender sent, in order
        self.eof = False    # ended by a FIN (recv returned b'')

    def take(self, chunk):
        if self.prefix and self.view[self.got:self.got + len(chunk)] != chunk:
            self.prefix = False
        self.sha.update(chunk)
        self.got += len(chunk)

    def complete(self):
        return self.eof and self.got == self.size and self.sha.digest() == self.digest

    def release(self):
        """Drop the expected bytes (thousands of connections are judged at the end)."""
        self.view.release()


class End:
    """One side of a connection (client or backend): reads, writes, maybe resets.

    ``incoming`` is what it must receive; ``outgoing`` what it sends.  ``first``
    says whether this side half-closes first: if so it sends everything and
    shuts down its write side; if not it sends half, waits for the other
    side's FIN (data must keep flowing to it after that), then the rest.
    ``both`` means neither waits.
    """

    def __init__(self, sock, plan, incoming, outgoing, slow, first, reset, header=b''):
        self.sock = sock
        self.plan = plan
        self.rng = plan.rng
        self.incoming = Incoming(incoming)
        self.outgoing = outgoing
        self.slow = slow
        self.first = first
        self.reset = reset
        self.header = header
        self.sent = 0
        self.errors = []
        self.was_reset = False  # this side closed with RST
        self.killed = False     # cut by the backend restart
        self.read_done = Event()
        self.tripped = Event()  # time to reset, or everything done
        self.finished = Event()  # closed

    def progress(self):
        if self.reset and self.sent + self.incoming.got >= self.plan.fault_after:
            self.tripped.set()

    def write(self):
        try:
            if self.header:
                gevent.sleep(self.plan.idle_s)  # a client that connects and waits
                self.sock.sendall(self.header)
            half = len(self.outgoing) // 2 if self.first is False else len(self.outgoing)
            self.send(0, half)
            if self.first is False:
                self.read_done.wait(WAIT)  # the peer's FIN; then keep sending to it
            self.send(half, len(self.outgoing))
            self.sock.shutdown(socket.SHUT_WR)
        except OSError as err:
            self.errors.append(('write', err))

    def send(self, start, stop):
        view = memoryview(self.outgoing)
        while start < stop:
            size = min(stop - start, self.rng.choice([1, 100, 1460, 8192, 65536]))
            self.sock.sendall(view[start:start + size])
            start += size
            self.sent = start
            self.progress()
            if self.rng.random() < 0.1:
                gevent.sleep(self.rng.uniform(0.001, 0.01))  # a writer that pauses

    def read(self):
        try:
            while True:
                data = self.sock.recv(self.rng.choice([256, 4096]) if self.slow else 65536)
                if not data:
                    self.incoming.eof = True
                    return
                self.incoming.take(data)
                self.progress()
                if self.slow and self.rng.random() < 0.1:
                    gevent.sleep(self.rng.uniform(0.001, 0.02))  # a stalled reader
        except OSError as err:
            self.errors.append(('read', err))
        finally:
            self.read_done.set()

    def run(self):
        """Read and write until both are done (or it is time to reset), then close."""
        workers = [gevent.spawn(self.read), gevent.spawn(self.write)]
        try:
            if self.reset:
                self.progress()
                watcher = gevent.spawn(lambda: (gevent.joinall(workers), self.tripped.set()))
                self.tripped.wait(WAIT)
                watcher.kill()
                gevent.killall(workers)
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
                self.was_reset = True
            else:
                gevent.joinall(workers, timeout=WAIT)
                if not all(w.dead for w in workers):
                    self.errors.append(('hang', 'still reading or writing after %d s' % WAIT))
        finally:
            gevent.killall(workers)
            self.sock.close()
            self.incoming.release()
            self.outgoing = None
            self.finished.set()


class Backend:
    """The target: accepts, reads the id, plays its side of that connection's plan."""

    def __init__(self, plans):
        self.plans = plans
        self.port = None
        self.listener = None
        self.acceptor = None
        self.live = {}  # handler greenlet -> [its connection, its End once the id arrived]
        self.killed = 0
        self.down_since = self.up_again = None
        self.listen()

    def listen(self):
        self.listener = gsocket.socket(gsocket.AF_INET, gsocket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(('127.0.0.1', self.port or 0))
        self.listener.listen(1024)
        self.port = self.listener.getsockname()[1]
        self.acceptor = gevent.spawn(self.accept)

    def accept(self):
        while True:
            conn, _ = self.listener.accept()
            handler = gevent.spawn(self.serve, conn)
            self.live[handler] = [conn, None]

    def serve(self, conn):
        end = None
        try:
            conn.settimeout(WAIT)
            header = b''
            while len(header) < HEADER.size:
                data = conn.recv(HEADER.size - len(header))
                if not data:
                    return
                header += data
            plan = self.plans[HEADER.unpack(header)[0]]
            end = End(conn, plan, plan.data('up'), plan.data('down'), plan.backend_slow,
                      {'client_first': False, 'backend_first': True}.get(plan.order),
                      plan.fault == 'backend_rst')
            plan.backend = end
            self.live[gevent.getcurrent()][1] = end
            end.run()
        except OSError:
            pass
        except gevent.GreenletExit:  # the restart cut it
            if end is not None:
                end.killed = True
            raise
        finally:
            conn.close()
            self.live.pop(gevent.getcurrent(), None)

    def restart(self, down_s):
        """Close the listener and every live connection; listen again after ``down_s``."""
        self.down_since = time.monotonic()
        self.acceptor.kill()
        self.listener.close()
        self.killed = len(self.live)
        gevent.killall(list(self.live), timeout=WAIT)
        self.forget_unstarted()
        gevent.sleep(down_s)  # the outage itself: the proxy refuses upstream meanwhile
        self.listen()
        self.up_again = time.monotonic()

    def forget_unstarted(self):
        """Close the connections of handlers killed before they ever ran."""
        for handler in [h for h in self.live if h.dead]:
            self.live.pop(handler)[0].close()

    def close(self):
        self.acceptor.kill()
        self.listener.close()
        gevent.killall(list(self.live), timeout=WAIT)
        self.forget_unstarted()


def run_client(port, plan):
    plan.started = time.monotonic()
    sock = gsocket.socket(gsocket.AF_INET, gsocket.SOCK_STREAM)
    try:
        sock.settimeout(WAIT)
        sock.connect(('127.0.0.1', port))  # no resolver: create_connection's is a threadpool
        plan.connected = time.monotonic()
        end = End(sock, plan, plan.data('down'), plan.data('up'), plan.client_slow,
                  {'client_first': True, 'backend_first': False}.get(plan.order),
                  plan.fault == 'client_rst', header=HEADER.pack(plan.cid))
        plan.client = end
        end.run()
    except OSError as err:
        plan.client = err
        sock.close()
    finally:
        plan.ended = time.monotonic()


def peak_open(plans):
    """The most client connections that were open at the same moment."""
    spans = [(plan.connected, plan.ended) for plan in plans if plan.connected is not None]
    edges = sorted([(start, 1) for start, _ in spans] + [(stop, -1) for _, stop in spans])
    peak = current = 0
    for _, step in edges:
        current += step
        peak = max(peak, current)
    return peak


def fd_count(pid):
    return len(os.listdir('/proc/%d/fd' % pid))


class Chaos:
    """One run: the proxy, the backend, the clients, and the figures."""

    def __init__(self, total, concurrency, seed):
        self.total = total
        self.concurrency = concurrency
        self.seed = seed
        self.rng = random.Random(seed)
        self.plans = {}
        self.backend = Backend(self.plans)
        self.proxy = Proc(gnet_cmd('-v', 'proxy', '127.0.0.1:0', '127.0.0.1:%d' % self.backend.port))
        self.fds = {}
        self.pool = []  # the running clients (and the restart)

    def fail(self, message):
        pytest.fail('[chaos seed %d, rerun with GNET_CHAOS_SEED=%d] %s'
                    % (self.seed, self.seed, message), pytrace=False)

    def check(self, condition, message):
        if not condition:
            self.fail(message() if callable(message) else message)

    def pair_lines(self):
        return [line for line in list(self.proxy.stderr) if ' bytes up, ' in line]

    def clean_exchange(self, port, cid):
        """One undisturbed connection; returns its plan once both ends are checked."""
        plan = Plan(self.seed, cid, random.Random(cid))
        plan.fault = None
        self.plans[cid] = plan
        run_client(port, plan)
        self.check(wait_until(lambda: plan.backend is not None and plan.backend.finished.is_set(),
                              WAIT), 'connection %d: the backend never finished' % cid)
        self.check_undisturbed(plan)
        return plan

    def run(self, cap_s):
        self.port = port = self.proxy.tcp_port()
        pid = self.proxy.popen.pid
        lines = len(self.pair_lines())
        self.clean_exchange(port, -1)  # warm-up: the baseline is a proxy that has served
        self.check(wait_until(lambda: len(self.pair_lines()) > lines, WAIT),
                   'the warm-up connection was never logged as closed')
        self.fds['before'] = fd_count(pid)
        self.rss = {'before': rss_mib(pid)}
        self.fds['peak'] = self.fds['before']

        def sample():
            while True:
                self.fds['peak'] = max(self.fds['peak'], fd_count(pid))
                gevent.sleep(0.05)
        sampler = gevent.spawn(sample)
        started = time.monotonic()
        try:
            with gevent.Timeout(cap_s, False):
                self.clients(port)
            self.duration = time.monotonic() - started
            self.check(self.duration < cap_s, 'the run hit its %g s cap' % cap_s)
        finally:
            sampler.kill()
        self.verify(pid)

    def clients(self, port):
        """Run every client, ``concurrency`` at a time; restart the backend once a
        quarter of them have finished (the others in full flow)."""
        restarted = None
        for cid in range(self.total):
            plan = Plan(self.seed, cid, self.rng)
            self.plans[cid] = plan
            if len(self.pool) >= self.concurrency:
                gevent.wait(self.pool, count=1)
                self.pool = [g for g in self.pool if not g.dead]
            if restarted is None and cid - len(self.pool) >= self.total // 4:
                restarted = gevent.spawn(self.backend.restart, self.rng.uniform(0.05, 0.15))
                self.pool.append(restarted)
            self.pool.append(gevent.spawn(run_client, port, plan))
        gevent.joinall(self.pool)

    def disturbed(self, plan):
        """Why this stream may be incomplete, or None: it must be byte-exact."""
        if plan.fault:
            return plan.fault
        if plan.backend is not None and plan.backend.killed:
            return 'restart'
        if plan.backend is None and plan.started <= self.backend.up_again \
                and plan.ended >= self.backend.down_since:
            return 'refused'  # its id never reached the backend, which went down meanwhile
        return None

    def check_undisturbed(self, plan):
        client, backend = plan.client, plan.backend
        what = 'connection %d (%s, %d up, %d down)' % (plan.cid, plan.order, plan.sizes['up'],
                                                       plan.sizes['down'])
        self.check(isinstance(client, End), lambda: '%s: connect failed: %r' % (what, client))
        self.check(backend is not None, what + ': never reached the backend')
        self.check(not client.errors and not backend.errors,
                   lambda: '%s: client %r backend %r' % (what, client.errors, backend.errors))
        self.check(client.incoming.complete(), lambda: '%s: down stream %d of %d bytes, '
                   'prefix %s, FIN %s' % (what, client.incoming.got, plan.sizes['down'],
                                          client.incoming.prefix, client.incoming.eof))
        self.check(backend.incoming.complete(), lambda: '%s: up stream %d of %d bytes, '
                   'prefix %s, FIN %s' % (what, backend.incoming.got, plan.sizes['up'],
                                          backend.incoming.prefix, backend.incoming.eof))

    def check_disturbed(self, plan):
        for side in (plan.client, plan.backend):
            if isinstance(side, End):
                self.check(side.incoming.prefix, lambda: 'connection %d (%s): bytes '
                           'received out of order or altered' % (plan.cid, self.disturbed(plan)))
                self.check(not any(kind == 'hang' for kind, _ in side.errors),
                           lambda errors=side.errors: 'connection %d: %r' % (plan.cid, errors))

    def verify(self, pid):
        plans = [self.plans[cid] for cid in range(self.total)]
        self.check(all(plan.ended is not None for plan in plans),
                   lambda: '%d connections still running at the cap'
                   % sum(plan.ended is None for plan in plans))
        # the proxy closed every upstream: nothing is left at the backend
        self.check(wait_until(lambda: not self.backend.live, WAIT),
                   lambda: '%d backend connections never closed by the proxy'
                   % len(self.backend.live))
        self.figures = figures = {'clients': self.total, 'concurrency': self.concurrency,
                                  'seed': self.seed, 'undisturbed': 0, 'client_rst': 0,
                                  'backend_rst': 0, 'restart': 0, 'refused': 0,
                                  'verified_bytes': 0, 'bytes': 0}
        for plan in plans:
            reason = self.disturbed(plan)
            if reason is None:
                self.check_undisturbed(plan)
                figures['undisturbed'] += 1
                figures['verified_bytes'] += plan.sizes['up'] + plan.sizes['down']
            else:
                self.check_disturbed(plan)
                figures[reason] += 1
            figures['bytes'] += sum(side.incoming.got for side in (plan.client, plan.backend)
                                    if isinstance(side, End))
        self.check(figures['undisturbed'] >= self.total // 4,
                   lambda: 'too few undisturbed streams to judge: %r' % figures)
        # one log line per accepted connection: both sides of every pair closed
        expected = self.total + 1  # and the warm-up
        self.check(wait_until(lambda: len(self.pair_lines()) >= expected, WAIT),
                   lambda: 'the proxy logged %d closed pairs of %d connections'
                   % (len(self.pair_lines()), expected))
        self.check(wait_until(lambda: fd_count(pid) <= self.fds['before'], WAIT)
                   or fd_count(pid) <= self.fds['before'] + FD_MARGIN,
                   lambda: 'the proxy holds %d descriptors, %d before the run'
                   % (fd_count(pid), self.fds['before']))
        self.fds['after'] = fd_count(pid)
        self.rss['after'] = rss_mib(pid)
        figures['proxy_errors'] = self.error_codes()
        figures['pairs'] = len(self.pair_lines())
        figures['peak_open'] = peak_open(plans)
        # it still serves, and stops cleanly
        self.clean_exchange(self.port, -2)
        self.proxy.signal(signal.SIGINT)
        self.check(self.proxy.popen.wait(WAIT) == 0, lambda: self.proxy.report()[-3000:])
        self.check(not any('Traceback' in line for line in self.proxy.stderr),
                   lambda: '\n'.join(self.proxy.stderr)[-3000:])

    def error_codes(self):
        codes = {}
        for line in self.pair_lines():
            found = re.search(r', error: \S+ (E[A-Z]+)', line)
            if found:
                codes[found.group(1)] = codes.get(found.group(1), 0) + 1
        return codes

    def close(self):
        gevent.killall(self.pool, timeout=WAIT)  # only left running if the cap was hit
        self.proxy.close()
        self.backend.close()

    def summary(self):
        f, fds, rss = self.figures, self.fds, self.rss
        return ('chaos seed %d: %d clients (%d at a time, up to %d connected at once) in %.1f s; '
                '%d undisturbed streams byte-exact both ways (%.1f MiB); %d client RST, '
                '%d backend RST, %d cut by the backend restart, %d refused or cut by it before '
                'their id reached the backend (%d backend connections closed by it); %.1f MiB '
                'moved in all; %d pairs logged closed, errors %s; proxy fds %d before, peak %d, '
                '%d after; proxy RSS %.1f -> %.1f MiB' % (
                    self.seed, f['clients'], f['concurrency'], f['peak_open'], self.duration,
                    f['undisturbed'], f['verified_bytes'] / 2 ** 20, f['client_rst'],
                    f['backend_rst'], f['restart'], f['refused'], self.backend.killed,
                    f['bytes'] / 2 ** 20, f['pairs'], f['proxy_errors'], fds['before'],
                    fds['peak'], fds['after'], rss['before'], rss['after']))


def chaos(total, concurrency, cap_s, record_property):
    # this process holds a client and a backend socket per connection, the proxy two
    wanted = 2 * concurrency + 256
    previous, limit = raise_nofile(wanted)
    try:
        if limit < wanted:
            pytest.skip('RLIMIT_NOFILE allows %d descriptors, %d needed' % (limit, wanted))
        seed = chaos_seed()
        print('chaos seed %d (rerun with GNET_CHAOS_SEED=%d)' % (seed, seed))
        run = Chaos(total, concurrency, seed)
        try:
            run.run(cap_s)
        finally:
            run.close()
    finally:
        restore_nofile(previous)
    record_property('chaos', run.summary())
    print(run.summary())


@pytest.mark.timeout(120)
def test_chaos_through_gnet_proxy(record_property):
    chaos(900, 300, 60, record_property)


@pytest.mark.long
@pytest.mark.timeout(600)
def test_chaos_through_gnet_proxy_10x(record_property):
    chaos(9000, 3000, 480, record_property)
