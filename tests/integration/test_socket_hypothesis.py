"""Random sequences of socket calls over real TCP and IPC pairs (hypothesis).

Guarantee (docs/reliability.md, "Stream invariants"): whatever the order of
``write``/``end``/``destroy``/``pause``/``resume``/``set_encoding``/``cork``
calls on either end, and however the I/O interleaves with them:

* the bytes one end receives are a prefix of the bytes the other sent, in
  order -- and all of them once both ends ended without a destroy or error;
* ``'close'`` is emitted at most once, and nothing is emitted after it;
* ``'drain'`` comes only after a ``write()`` returned False;
* no write or end callback is called twice;
* ``'end'`` and ``'finish'`` come at most once, and ``'end'`` never after
  ``'error'``; no ``'data'`` while the socket is paused;
* at the end every socket closes.

Pairs come from ``tests/conformance/transports.py``.  Bounded: 150 examples
per transport, each a few milliseconds of I/O.
"""

import os
import sys

import gevent
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                'conformance'))
from transports import make_ipc_pair, make_tcp4_pair  # noqa: E402

PAIRS = {'tcp4': make_tcp4_pair, 'ipc': make_ipc_pair}
WAIT = 5.0
#: encodings whose decoding can be undone chunk by chunk (to compare bytes)
ENCODINGS = [None, 'latin1', 'hex']


class Violation(AssertionError):
    pass


class Probe:
    """One end of the pair: what it sent, what it saw, and the invariants as they happen."""

    def __init__(self, sock, name):
        self.sock = sock
        self.name = name
        self.sent = bytearray()
        self.received = bytearray()
        self.events = []
        self.encoding = None
        self.drain_owed = False
        self.violations = []
        self.calls = {}            # callback id -> times called
        self.destroyed_by_us = False
        for event in ('end', 'finish', 'error', 'close', 'drain'):
            sock.on(event, self._recorder(event))
        sock.on('data', self._on_data)

    def check(self, condition, message):
        if not condition:
            self.violations.append('%s: %s (events %r)' % (self.name, message, self.events[-8:]))

    def _recorder(self, event):
        def record(*args):
            self.check('close' not in self.events, '%r after close' % event)
            if event == 'drain':
                self.check(self.drain_owed, "'drain' without a write() that returned False")
                self.drain_owed = False
            if event in ('end', 'finish', 'close'):
                self.check(event not in self.events, '%r twice' % event)
            if event == 'end':
                self.check('error' not in self.events, "'end' after 'error'")
            self.events.append(event)
        return record

    def _on_data(self, chunk):
        self.check('close' not in self.events, "'data' after close")
        self.check('end' not in self.events, "'data' after end")
        self.check(not self.sock.is_paused(), "'data' while paused")
        if isinstance(chunk, str):
            try:
                chunk = bytes.fromhex(chunk) if self.encoding == 'hex' else chunk.encode('latin1')
            except ValueError:
                self.check(False, 'a chunk that is not %s: %r' % (self.encoding, chunk[:20]))
                return
        self.received.extend(chunk)
        self.events.append('data')

    def callback(self):
        key = len(self.calls)
        self.calls[key] = 0

        def called(err=None):
            self.calls[key] += 1
            self.check(self.calls[key] == 1, 'callback %d called %d times' % (key, self.calls[key]))
        return called

    # -- actions ------------------------------------------------------------------------
    def write(self, size, with_callback):
        data = os.urandom(size)
        writable = self.sock.writable
        ok = self.sock.write(data, self.callback()) if with_callback else self.sock.write(data)
        if writable:
            self.sent.extend(data)   # a write after end/destroy sends nothing
        if not ok and writable:
            self.drain_owed = True

    def end(self, with_callback):
        if with_callback:
            self.sock.end(self.callback())
        else:
            self.sock.end()

    def destroy(self):
        self.destroyed_by_us = True
        self.sock.destroy()

    def set_encoding(self, encoding):
        # once per socket: as in Node, a second set_encoding() does not re-encode chunks
        # already decoded into the buffer, so the test could not tell their bytes apart
        if encoding is not None and self.encoding is None:
            self.encoding = encoding
            self.sock.set_encoding(encoding)


def _swallow(err):
    return None


ACTIONS = st.one_of(
    st.tuples(st.just('write'), st.integers(0, 1), st.sampled_from([0, 1, 100, 5000, 70000, 300000]),
              st.booleans()),
    st.tuples(st.just('end'), st.integers(0, 1), st.booleans()),
    st.tuples(st.just('destroy'), st.integers(0, 1)),
    st.tuples(st.just('pause'), st.integers(0, 1)),
    st.tuples(st.just('resume'), st.integers(0, 1)),
    st.tuples(st.just('set_encoding'), st.integers(0, 1), st.sampled_from(ENCODINGS)),
    st.tuples(st.just('cork'), st.integers(0, 1)),
    st.tuples(st.just('uncork'), st.integers(0, 1)),
    st.tuples(st.just('yield'), st.sampled_from([0, 0.001, 0.005])),
)


def run_sequence(transport, actions):
    a, b = PAIRS[transport](allow_half_open=True)
    probes = [Probe(a, 'client'), Probe(b, 'server')]
    for probe in probes:
        probe.sock.on('error', _swallow)   # errors are recorded, not raised
    try:
        for action in actions:
            kind = action[0]
            if kind == 'yield':
                gevent.sleep(action[1])
                continue
            probe = probes[action[1]]
            if kind == 'write':
                probe.write(action[2], action[3])
            elif kind == 'end':
                probe.end(action[2])
            elif kind == 'destroy':
                probe.destroy()
            elif kind == 'set_encoding':
                probe.set_encoding(action[2])
            else:
                getattr(probe.sock, kind)()
        # wind down: everything flows, both ends end, every socket closes
        for probe in probes:
            while probe.sock.writable_corked:
                probe.sock.uncork()
            probe.sock.resume()
            probe.sock.end()
        with gevent.Timeout(WAIT, False):
            for probe in probes:
                while 'close' not in probe.events:
                    gevent.sleep(0.001)
        for probe in probes:
            probe.check('close' in probe.events, 'never closed')
    finally:
        for probe in probes:
            probe.sock.destroy()
        with gevent.Timeout(WAIT, False):
            while not all(p.sock._writable_state.close_emitted for p in probes):
                gevent.sleep(0.001)
    gevent.sleep(0.002)   # a late duplicate callback or event would show up now
    violations = probes[0].violations + probes[1].violations
    for sender, receiver in ((probes[0], probes[1]), (probes[1], probes[0])):
        got, sent = bytes(receiver.received), bytes(sender.sent)
        if not sent.startswith(got):
            violations.append('%s received bytes that %s never sent in that order (%d of %d)'
                              % (receiver.name, sender.name, len(got), len(sent)))
        clean = not any(p.destroyed_by_us or 'error' in p.events for p in probes)
        if clean and got != sent:
            violations.append('%s got %d of %d bytes although nothing was destroyed'
                              % (receiver.name, len(got), len(sent)))
    if violations:
        raise Violation('\n'.join(violations))


@pytest.mark.timeout(60)
@pytest.mark.parametrize('transport', sorted(PAIRS))
def test_random_call_sequences_keep_the_stream_invariants(transport):
    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.lists(ACTIONS, max_size=30))
    def check(actions):
        run_sequence(transport, actions)
    check()
