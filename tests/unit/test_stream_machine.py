"""A hypothesis state machine over the memory pair.

Random sequences of write / end / destroy / pause / resume / read / push /
unshift on two connected endpoints ``(a, b)``; after every step the loop runs
to quiescence and the invariants are checked:

* the bytes ``b`` received from ``a`` are a prefix of what ``a`` wrote, in
  order (bytes pushed straight into ``b`` use a disjoint alphabet and must
  arrive in order too); once ``b`` has seen ``'end'``, every write ``a``
  had confirmed (callback with None) has arrived;
* ``'close'`` at most once per endpoint, and nothing after it (except
  ``'pause'``/``'resume'``, which node emits for calls made after close);
* ``'drain'`` only after a ``write()`` that returned False;
* no write or end callback called twice;
* ``'end'`` never after ``'error'``; ``'end'``, ``'finish'``, ``'error'`` at most once;
* nothing escapes into the loop as an uncaught exception;
* at teardown, every write and end callback has fired exactly once.
"""

from typing import Any, Dict, List

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gnet.runtime import loop
from gnet.testing import memory_pair

from stream_helpers import settle

pytestmark = pytest.mark.timeout(60)

WRITTEN = st.binary(min_size=0, max_size=40).map(lambda data: bytes(x & 0x7F for x in data))
PUSHED = st.binary(min_size=1, max_size=20).map(lambda data: bytes(x | 0x80 for x in data))
EVENTS = ('end', 'finish', 'error', 'close', 'drain', 'pause', 'resume', 'data')


class PairMachine(RuleBasedStateMachine):
    @initialize(capacity=st.sampled_from([0, 5, 64, 65536]),
                hwm=st.sampled_from([0, 1, 16, None]),
                half_open=st.booleans())
    def setup(self, capacity: int, hwm: Any, half_open: bool) -> None:
        self.a, self.b = memory_pair(capacity=capacity, high_water_mark=hwm, allow_half_open=half_open)
        self.logs: Dict[str, List[str]] = {'a': [], 'b': []}
        self.sent = bytearray()        # bytes a.write() accepted, in call order
        self.confirmed = 0             # bytes whose write callback got None (a prefix of sent)
        self.pushed = bytearray()      # bytes pushed straight into b
        self.received = bytearray()    # everything b emitted as 'data'
        self.calls: Dict[int, int] = {}
        self.sizes: Dict[int, int] = {}
        self.next_id = 0
        self.drain_allowed = False
        self.violations: List[str] = []
        # an exception escaping into the loop (a bug, or an unhandled 'error') fails the run
        self.loop = loop.get_loop()
        self.loop.report = lambda exc, source=None: self.violations.append('uncaught %r' % (exc,))
        for name, stream in (('a', self.a), ('b', self.b)):
            for event in EVENTS:
                if event == 'data':
                    continue
                stream.on(event, lambda *args, n=name, e=event: self._event(n, e))
        self.b.on('data', self._data)

    # listeners run inside the loop, where an assertion would only be logged:
    # they record violations, the invariants raise them
    def _event(self, name: str, event: str) -> None:
        log = self.logs[name]
        if event in ('pause', 'resume'):
            return  # node emits these for pause()/resume() even after 'close'
        if 'close' in log:
            self.violations.append('%s emitted %r after close' % (name, event))
        if event == 'drain' and name == 'a':
            if not self.drain_allowed:
                self.violations.append("'drain' without a preceding False")
            self.drain_allowed = False
        log.append(event)

    def _data(self, chunk: bytes) -> None:
        if 'close' in self.logs['b']:
            self.violations.append("'data' after close")
        if not isinstance(chunk, bytes):
            self.violations.append('data chunk of type %s' % type(chunk).__name__)
        self.received += chunk

    def _callback(self, size: int) -> Any:
        ident = self.next_id
        self.next_id += 1
        self.calls[ident] = 0
        self.sizes[ident] = size

        def callback(err: Any = None) -> None:
            self.calls[ident] += 1
            if self.calls[ident] > 1:
                self.violations.append('callback %d called twice' % ident)
            if err is None and size:
                self.confirmed += size
        return callback

    # -- rules -------------------------------------------------------------------------
    @rule(data=WRITTEN)
    def write(self, data: bytes) -> None:
        accepted = self.a.writable
        ret = self.a.write(data, self._callback(len(data) if accepted else 0))
        if accepted:
            self.sent += data
        if ret is False and accepted:
            self.drain_allowed = True
        settle()

    @rule(data=WRITTEN)
    def end(self, data: bytes) -> None:
        accepted = self.a.writable
        self.a.end(data or None, self._callback(0))
        if accepted:
            self.sent += data
        settle()

    @rule(with_error=st.booleans(), which=st.sampled_from(['a', 'b']))
    def destroy(self, with_error: bool, which: str) -> None:
        stream = self.a if which == 'a' else self.b
        stream.destroy(RuntimeError('boom') if with_error else None)
        settle()

    @rule()
    def pause(self) -> None:
        self.b.pause()
        settle()

    @rule()
    def resume(self) -> None:
        self.b.resume()
        settle()

    @rule(size=st.one_of(st.none(), st.integers(min_value=0, max_value=50)))
    def read(self, size: Any) -> None:
        self.b.read(size)
        settle()

    @rule(data=PUSHED)
    def push(self, data: bytes) -> None:
        state = self.b._readable_state
        if not (state.ended or state.destroyed or state.errored):
            self.pushed += data
        self.b.push(data)
        settle()

    # -- invariants ---------------------------------------------------------------------
    @invariant()
    def no_violation(self) -> None:
        if hasattr(self, 'violations'):
            assert self.violations == []

    @invariant()
    def bytes_in_order(self) -> None:
        if not hasattr(self, 'a'):
            return
        from_a = bytes(x for x in self.received if x < 0x80)
        injected = bytes(x for x in self.received if x >= 0x80)
        assert bytes(self.sent[:len(from_a)]) == from_a
        assert bytes(self.pushed[:len(injected)]) == injected
        if 'end' in self.logs['b']:
            assert len(from_a) >= min(self.confirmed, len(self.sent))

    @invariant()
    def callbacks_at_most_once(self) -> None:
        if hasattr(self, 'calls'):
            assert all(count <= 1 for count in self.calls.values())

    @invariant()
    def event_rules(self) -> None:
        if not hasattr(self, 'logs'):
            return
        for log in self.logs.values():
            for event in ('end', 'finish', 'error', 'close'):
                assert log.count(event) <= 1, log
            if 'close' in log:
                assert log[-1] == 'close', log
            if 'error' in log and 'end' in log:
                assert log.index('end') < log.index('error'), log

    def teardown(self) -> None:
        if hasattr(self, 'a'):
            for stream in (self.a, self.b):
                stream.on('error', lambda *args: None)
                stream.destroy()
            settle()
            del self.loop.report
            assert self.violations == []
            # every write callback eventually fires exactly once
            assert all(count == 1 for count in self.calls.values()), self.calls


PairMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=40, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow])
test_pair_machine = PairMachine.TestCase
