"""Socket calls from foreign greenlets, and ``gevent.kill`` of a socket's greenlet.

Guarantee (docs/reliability.md, "Greenlets"): ``write``, ``end``,
``destroy``, ``pause`` and ``resume`` may be called from any greenlet while
the socket is reading or writing, and the socket's own greenlet may be
killed (``gevent.kill(sock._runner.glet)``) at any moment: no gevent-internal
error reaches the user (no ``'error'`` event, no exception logged by gnet or
printed by gevent's hub), bytes arrive intact and in call order, every write
callback is called exactly once, and the socket still ends cleanly with one
``'close'``.
"""

import logging
import random

import gevent
import pytest
from gevent.event import Event

import gnet
from net_helpers import WAIT, wait_close
from transports import make_ipc_pair, make_tcp4_pair

PAIRS = {'tcp4': make_tcp4_pair, 'ipc': make_ipc_pair}


@pytest.fixture
def hub_errors(monkeypatch):
    """Every error gevent's hub would print (exceptions escaping greenlets or callbacks)."""
    seen = []
    hub = gevent.get_hub()
    original = hub.handle_error

    def handle_error(context, kind, value, tb):
        seen.append((context, kind, value))
        return original(context, kind, value, tb)
    monkeypatch.setattr(hub, 'handle_error', handle_error)
    return seen


class Watch:
    """Events and write callbacks of one socket."""

    def __init__(self, sock, name):
        self.sock = sock
        self.name = name
        self.errors = []
        self.closes = []
        self.ended = Event()
        self.closed = Event()
        self.received = []
        self.callbacks = []
        sock.on('error', self.errors.append)
        sock.on('end', self.ended.set)
        sock.on('close', self._closed)

    def _closed(self, had_error=None):
        self.closes.append(had_error)
        self.closed.set()

    def collect(self):
        self.sock.on('data', self.received.append)

    def write(self, data, log):
        """Write ``data``; ``log`` records it in call order (no yield in between)."""
        index = len(self.callbacks)
        self.callbacks.append([])
        log.append(data)
        return self.sock.write(data, lambda err=None: self.callbacks[index].append(err))


def stop_and_check(glets):
    gevent.joinall(glets, timeout=WAIT, raise_error=True)
    assert all(g.dead for g in glets), 'a helper greenlet is stuck'


@pytest.mark.timeout(30)
@pytest.mark.parametrize('transport', sorted(PAIRS))
def test_foreign_greenlets_write_pause_resume_end_and_kill(transport, hub_errors, caplog):
    rng = random.Random(7)
    client, server = PAIRS[transport](allow_half_open=True)
    server.pipe(server)   # echo, honouring backpressure; ends after the client's end
    c, s = Watch(client, 'client'), Watch(server, 'server')
    c.collect()
    sent = []
    writers_done = Event()

    def writer(tag):
        for seq in range(150):
            data = (b'%s:%05d|' % (tag, seq)) * rng.randint(1, 2000)
            if not c.write(data, sent):
                gnet.once(client, 'drain', timeout=WAIT)
            if seq % 10 == 0:
                gevent.sleep(0)

    def chaos():
        while not writers_done.is_set():
            rng.choice([client.pause, client.resume, server.pause, server.resume])()
            gevent.sleep(rng.uniform(0, 0.003))
        client.resume()
        server.resume()

    def killer():
        for _ in range(20):
            if writers_done.is_set():
                break
            victim = rng.choice([client, server])
            glet = victim._runner.glet
            if glet is not None and not glet.dead:
                gevent.kill(glet)
            gevent.sleep(rng.uniform(0, 0.005))

    with caplog.at_level(logging.WARNING, logger='gnet'):
        writers = [gevent.spawn(writer, tag) for tag in (b'A', b'B', b'C')]
        helpers = [gevent.spawn(chaos), gevent.spawn(killer)]
        stop_and_check(writers)
        writers_done.set()
        stop_and_check(helpers)
        gevent.spawn(client.end).join(WAIT)   # end from yet another greenlet
        assert c.closed.wait(WAIT), 'client never closed'
        assert s.closed.wait(WAIT), 'server side never closed'
    assert b''.join(c.received) == b''.join(sent)
    assert c.errors == [] and s.errors == []
    assert c.closes == [False] and s.closes == [False]
    assert all(cb == [None] for cb in c.callbacks), 'a write callback was not called once'
    assert not hub_errors, hub_errors
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.timeout(30)
@pytest.mark.parametrize('transport', sorted(PAIRS))
def test_destroy_from_a_foreign_greenlet_mid_transfer(transport, hub_errors):
    client, server = PAIRS[transport](allow_half_open=True)
    server.on('error', lambda err: None)   # it may see a reset: not under test
    server.on('data', server.write)        # echo without backpressure: data piles up
    c = Watch(client, 'client')
    c.collect()
    sent = []
    stop = Event()

    def writer():
        while not stop.is_set() and not client.destroyed:
            c.write(b'z' * 32768, sent)
            gevent.sleep(0)

    glet = gevent.spawn(writer)
    with gevent.Timeout(WAIT):
        while sum(map(len, c.received)) < 1 << 20:
            gevent.sleep(0.001)
    gevent.spawn(client.destroy).join(WAIT)
    stop.set()
    stop_and_check([glet])
    assert c.closed.wait(WAIT)
    gevent.sleep(0.01)   # any late callback would show up now
    assert c.closes == [False] and c.errors == []
    assert all(len(cb) == 1 for cb in c.callbacks)
    outcomes = [cb[0] for cb in c.callbacks]
    assert all(err is None or err.code == 'ERR_STREAM_DESTROYED' for err in outcomes)
    received = b''.join(c.received)
    assert b''.join(sent).startswith(received)   # a prefix, in order
    server.destroy()
    wait_close(server)
    assert not hub_errors, hub_errors


@pytest.mark.timeout(30)
@pytest.mark.parametrize('transport', sorted(PAIRS))
def test_kill_while_parked_mid_transfer(transport, hub_errors):
    """Killed between reads (parked in the hub): reading and writing carry on."""
    client, server = PAIRS[transport](allow_half_open=True)
    server.pipe(server)
    c, s = Watch(client, 'client'), Watch(server, 'server')
    c.collect()
    sent = []
    kills = 0
    for i in range(256):
        if not c.write(b'%06d' % i * 5000, sent):
            gnet.once(client, 'drain', timeout=WAIT)
        for victim in (client, server):
            glet = victim._runner.glet
            if i % 16 == 0 and glet is not None and not glet.dead:
                gevent.kill(glet)
                kills += 1
    client.end()
    assert c.closed.wait(WAIT) and s.closed.wait(WAIT)
    assert kills > 0
    assert b''.join(c.received) == b''.join(sent)
    assert c.errors == [] and s.errors == [] and c.closes == [False] and s.closes == [False]
    assert all(cb == [None] for cb in c.callbacks)
    assert not hub_errors, hub_errors


@pytest.mark.timeout(30)
@pytest.mark.parametrize('transport', sorted(PAIRS))
def test_kill_while_a_listener_blocks(transport, hub_errors):
    """The greenlet is killed inside a listener that sleeps: the socket must still end.

    Either outcome ends cleanly: the socket carries on (every byte arrives) or
    it is destroyed (a prefix arrived); either way one 'close', no 'error'.
    """
    client, server = PAIRS[transport](allow_half_open=True)
    c = Watch(client, 'client')
    got = []
    in_listener = Event()

    def slow_listener(chunk):
        got.append(chunk)
        in_listener.set()
        gevent.sleep(0.001)   # a cooperative block in user code

    server.on('data', slow_listener)
    s = Watch(server, 'server')
    server.on('end', server.end)
    sent = []
    for i in range(64):
        c.write(b'%06d' % i * 2000, sent)
    client.end()
    try:
        assert in_listener.wait(WAIT)
        gevent.kill(server._runner.glet)
        assert s.closed.wait(2.0), 'the server side never closed after its greenlet was killed'
        assert c.closed.wait(2.0)
        assert b''.join(sent).startswith(b''.join(got))
        assert s.errors == [] and c.errors == []
        assert len(s.closes) == 1 and c.closes == [False]
        assert not hub_errors, hub_errors
    finally:
        for sock in (client, server):
            sock.destroy()
            wait_close(sock)
