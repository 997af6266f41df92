"""A peer that resets or dies mid-transfer.

Guarantee (docs/reliability.md, "Resets"): when the peer resets the
connection while data flows in either direction, the gnet socket emits
exactly one ``'error'`` (ECONNRESET or EPIPE), then ``'close'`` with
``had_error=True`` exactly once and last; every write callback is called
exactly once, and those the kernel never took receive the error; no
``'end'`` is emitted, because a reset is not an end of stream.

Peers: a raw socket closed with SO_LINGER 0 (TCP), and a peer process
killed with SIGKILL (TCP and Unix sockets).  A killed process's socket is
reset by the kernel only if unread data is left in its receive queue, so
the killed peer is always left with unread bytes.
"""

import os
import signal
import sys

import gevent
import pytest
from gevent import subprocess
from gevent.event import Event

import gnet
from faults_support import raw_connect, reset_close, wait_until
from net_helpers import WAIT, serving

RESET_CODES = ('ECONNRESET', 'EPIPE')
CHUNK = b'x' * 65536
PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'peer_process.py')


class Recorder:
    """Everything a socket emits, and every write callback it calls."""

    def __init__(self, sock):
        self.sock = sock
        self.events = []          # ('error', code) / ('end',) / ('close', had_error) ...
        self.callbacks = {}       # write index -> list of results
        self.writes = 0
        self.received = 0
        self.closed = Event()
        sock.on('error', lambda err: self.events.append(('error', getattr(err, 'code', err))))
        sock.on('end', lambda: self.events.append(('end',)))
        sock.on('finish', lambda: self.events.append(('finish',)))
        sock.on('close', self._on_close)
        sock.on('data', self._on_data)

    def _on_close(self, had_error=None):
        self.events.append(('close', had_error))
        self.closed.set()

    def _on_data(self, chunk):
        self.received += len(chunk)

    def write(self, data):
        index = self.writes
        self.writes += 1
        self.callbacks[index] = []
        return self.sock.write(data, lambda err=None: self.callbacks[index].append(
            getattr(err, 'code', err)))

    def flood(self, count):
        """Queue ``count`` chunks without honouring backpressure (a burst)."""
        for _ in range(count):
            if self.sock.destroyed:
                break
            self.write(CHUNK)

    def back_up(self, queued=1024 * 1024, limit=1024):
        """Write until ``queued`` bytes wait in gnet's queue (the kernel's are full).

        Bounded by ``limit`` chunks; waits cooperatively between bursts so the
        kernel takes what it can.
        """
        for _ in range(limit // 16):
            if self.sock.destroyed or self.sock.writable_length >= queued:
                break
            self.flood(16)
            gevent.sleep(0.001)
        assert self.sock.writable_length >= queued or self.sock.destroyed

    def assert_reset(self):
        assert self.closed.wait(WAIT), 'no close after the reset: %r' % self.events[-5:]
        gevent.sleep(0)  # callbacks queued with the close get their tick
        errors = [e for e in self.events if e[0] == 'error']
        assert len(errors) == 1, self.events
        assert errors[0][1] in RESET_CODES, errors
        assert ('end',) not in self.events, 'a reset emitted end: %r' % self.events
        assert self.events[-1] == ('close', True), self.events
        assert [e for e in self.events if e[0] == 'close'] == [('close', True)]
        assert self.events.index(errors[0]) < len(self.events) - 1
        for index, results in self.callbacks.items():
            assert len(results) == 1, 'write callback %d called %r' % (index, results)
        outcomes = [self.callbacks[i][0] for i in range(self.writes)]
        failed = [i for i, code in enumerate(outcomes) if code is not None]
        if self.writes:
            assert failed, 'no write callback saw the reset'
            # once one write failed, every later one failed too: nothing sent after
            assert failed == list(range(failed[0], self.writes)), outcomes
            assert all(code in RESET_CODES + ('ERR_STREAM_DESTROYED',)
                       for code in outcomes[failed[0]:]), set(outcomes)


def accepted_by(server):
    got = []
    server.on('connection', got.append)
    return got


def start_server_side(transport, tmp_path):
    """A server; returns (context manager, server, list of accepted sockets)."""
    ctx = serving(transport, None, tmp_path)
    server = ctx.__enter__()
    return ctx, server, accepted_by(server)


@pytest.mark.timeout(30)
@pytest.mark.parametrize('role', ['server', 'client'])
def test_peer_resets_while_gnet_sends(role, tmp_path):
    """gnet floods the peer; the peer reads a little, then resets."""
    if role == 'server':
        ctx, server, accepted = start_server_side('tcp4', tmp_path)
        try:
            peer = raw_connect(server.address())
            assert wait_until(lambda: accepted, WAIT)
            rec = Recorder(accepted[0])
            rec.flood(64)
            peer.recv(65536)
            assert wait_until(lambda: rec.sock.bytes_written > 256 * 1024, WAIT)
            # 4 MiB can fit in loopback's autotuned buffers: keep writing until
            # gnet itself holds writes the kernel refused, so some must fail
            rec.back_up()
            reset_close(peer)
            rec.assert_reset()
        finally:
            ctx.__exit__(None, None, None)
        return
    listener = _raw_listener()
    try:
        sock = gnet.connect(listener.getsockname()[1], '127.0.0.1')
        rec = Recorder(sock)
        rec.flood(64)          # queued while connecting: sent after 'connect'
        peer, _ = listener.accept()
        peer.recv(65536)
        assert wait_until(lambda: sock.bytes_written > 256 * 1024 or sock.destroyed, WAIT)
        rec.back_up()
        reset_close(peer)
        rec.assert_reset()
    finally:
        listener.close()


@pytest.mark.timeout(30)
@pytest.mark.parametrize('role', ['server', 'client'])
def test_peer_resets_while_gnet_receives(role, tmp_path):
    """The peer floods gnet, then resets mid-stream; gnet also has writes queued."""
    ctx = listener = None
    try:
        if role == 'server':
            ctx, server, accepted = start_server_side('tcp4', tmp_path)
            peer = raw_connect(server.address())
            assert wait_until(lambda: accepted, WAIT)
            sock = accepted[0]
        else:
            listener = _raw_listener()
            sock = gnet.connect(listener.getsockname()[1], '127.0.0.1')
            peer, _ = listener.accept()
        rec = Recorder(sock)
        sender = gevent.spawn(_send_forever, peer)
        assert wait_until(lambda: rec.received > 512 * 1024, WAIT)
        rec.back_up()            # our writes back up behind a peer that never reads
        sender.kill()
        reset_close(peer)
        rec.assert_reset()
    finally:
        if ctx is not None:
            ctx.__exit__(None, None, None)
        if listener is not None:
            listener.close()


def _send_forever(peer):
    try:
        while True:
            peer.sendall(CHUNK)
    except OSError:
        pass


def _raw_listener():
    from gevent import socket as gsocket
    listener = gsocket.socket(gsocket.AF_INET, gsocket.SOCK_STREAM)
    listener.bind(('127.0.0.1', 0))
    listener.listen(8)
    listener.settimeout(WAIT)
    return listener


@pytest.mark.timeout(30)
@pytest.mark.parametrize('transport', ['tcp4', 'ipc'])
@pytest.mark.parametrize('direction', ['gnet-sends', 'gnet-receives'])
def test_peer_process_killed_mid_transfer(transport, direction, tmp_path):
    """SIGKILL a peer process while bytes flow; it leaves unread data, so it resets."""
    ctx, server, accepted = start_server_side(transport, tmp_path)
    proc = None
    try:
        address = server.address()
        where = address if isinstance(address, str) else '127.0.0.1:%d' % address['port']
        mode = 'stall' if direction == 'gnet-sends' else 'flood'
        proc = subprocess.Popen([sys.executable, PEER, mode, where],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        assert wait_until(lambda: accepted, WAIT), 'the peer process never connected'
        rec = Recorder(accepted[0])
        if direction == 'gnet-sends':
            rec.flood(64)
            assert wait_until(lambda: rec.sock.bytes_written >= 128 * 1024, WAIT)
        else:
            assert wait_until(lambda: rec.received >= 1024 * 1024, WAIT)
            rec.back_up()   # unread by the peer: the kill resets, and these fail
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=WAIT)
        rec.assert_reset()
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        ctx.__exit__(None, None, None)


@pytest.mark.timeout(30)
@pytest.mark.parametrize('transport', ['tcp4', 'ipc'])
def test_reset_delivered_between_two_writes(transport, tmp_path):
    """The interleaving the sending flake hid: one write completes, the peer
    goes away (RST on TCP; a closed Unix peer makes the next send EPIPE),
    and the very next write -- before gnet has read anything -- is the one
    that fails.  The first callback saw success, the second the error; one
    'error', then 'close'(True), and no 'end'."""
    ctx, server, accepted = start_server_side(transport, tmp_path)
    try:
        peer = raw_connect(server.address())
        assert wait_until(lambda: accepted, WAIT)
        rec = Recorder(accepted[0])
        rec.write(b'first')
        assert wait_until(lambda: rec.callbacks[0], WAIT), 'the first write never completed'
        assert peer.recv(16) == b'first'
        if transport == 'ipc':
            peer.close()
        else:
            reset_close(peer)
        rec.write(b'second')     # no yield since the reset: gnet has not read it yet
        rec.assert_reset()
        assert rec.callbacks[0] == [None]
        assert rec.callbacks[1][0] in RESET_CODES, rec.callbacks
    finally:
        ctx.__exit__(None, None, None)
