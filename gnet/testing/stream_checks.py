"""The stream contracts of ``gnet.interfaces`` (W1-W5, R1-R4, D1-D3) as plain checks.

Owns: one check function per behaviour, named ``check_<ID>_<what>`` and
registered under its contract ID (``CHECKS``), and the helpers they share.
Each check receives two connected endpoints ``(a, b)`` (bytes written on
``a`` are read on ``b`` and vice versa), uses only the public stream API,
never assumes that a write completes (or data arrives) synchronously, and
waits on events or conditions with timeouts; it raises AssertionError (or
the error the stream raised) when the contract does not hold.  The runner
is :mod:`gnet.testing.conformance`.
Must not import: pytest, gevent (it blocks through :func:`gnet.once`).
"""

import time
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Tuple, Type

from .. import errors
from ..events import EventEmitter
from ..runtime import loop
from ..runtime.sync import once

__all__ = ['Check', 'CHECKS', 'WAIT']

WAIT = 5.0  # seconds any single wait may take

#: Upper bound on what a check writes while looking for backpressure.
MAX_BYTES = 64 * 1024 * 1024
CHUNK = b'\xab' * 16384

Pair = Tuple[Any, Any]
CheckFn = Callable[[Pair], None]


class Check(NamedTuple):
    """One registered check: its contract ID, name, function and pair options."""

    contract: str
    name: str
    function: Callable[[Any], None]   # a stream check takes a pair, a socket check a transport
    options: Dict[str, Any]


#: every check, in contract order (filled by :func:`contract` below)
CHECKS: List[Check] = []


def contract(contract_id: str) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated check under ``contract_id``."""
    def register(function: CheckFn) -> CheckFn:
        options = getattr(function, 'pair_options', {})
        CHECKS.append(Check(contract_id, function.__name__.split('_', 2)[2], function, options))
        return function
    return register


def pair_options(**options: Any) -> Callable[[CheckFn], CheckFn]:
    """Options the check's pair is made with (``high_water_mark``, ``allow_half_open``)."""
    def mark(function: CheckFn) -> CheckFn:
        function.pair_options = options  # type: ignore[attr-defined]
        return function
    return mark


@contextmanager
def raises(kind: Type[BaseException]) -> Iterator[None]:
    try:
        yield
    except kind:
        return
    raise AssertionError('%s was not raised' % kind.__name__)


def one_turn() -> None:
    """Wait for one turn of the gnet loop (a 1 ms timer)."""
    turned = EventEmitter()
    loop.set_timeout(turned.emit, 1, 'turned')
    once(turned, 'turned', timeout=WAIT)


def wait_until(predicate: Callable[[], Any], timeout: float = WAIT) -> None:
    """Re-check ``predicate`` after each turn of the gnet loop, bounded."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('condition not met within %ss' % timeout)
        one_turn()


def idle_turns(count: int = 30) -> None:
    """Give the transport ``count`` loop turns to do something it must not do."""
    for _ in range(count):
        one_turn()


def fill(writer: Any) -> int:
    """Write CHUNKs until ``write()`` returns False; returns the bytes written."""
    total = 0
    while total < MAX_BYTES:
        ret = writer.write(CHUNK)
        total += len(CHUNK)
        if ret is False:
            return total
    raise AssertionError('write() never returned False')


def saturate(writer: Any) -> int:
    """Write until ``write()`` returns False and no ``'drain'`` follows; returns bytes written.

    Transports buffer beyond the stream (a socket's kernel buffers, the memory
    pair's capacity), so one False is not yet backpressure from the reader.
    """
    drained: List[bool] = []
    writer.on('drain', lambda: drained.append(True))
    total = 0
    while total < MAX_BYTES:
        total += fill(writer)
        del drained[:]
        idle_turns(20)
        if not drained:
            return total
    raise AssertionError('the writer never stayed blocked')


def collect(reader: Any) -> bytearray:
    got = bytearray()
    reader.on('data', got.extend)
    return got


@contract('W1')
def check_W1_write_validates_chunks_synchronously(pair: Pair) -> None:
    a, b = pair
    got = collect(b)
    with raises(errors.ERR_STREAM_NULL_VALUES):
        a.write(None)
    for bad in (5, 1.5, object(), ['x']):
        with raises(errors.ERR_INVALID_ARG_TYPE):
            a.write(bad)
    with raises(errors.ERR_UNKNOWN_ENCODING):
        a.write('x', 'no-such-encoding')
    a.write(b'by')
    a.write(bytearray(b'te'))
    a.write(memoryview(b'view'))
    a.write('68c3a9', 'hex')
    a.write('é')
    expected = b'byteview' + 'hé'.encode() + 'é'.encode()
    wait_until(lambda: len(got) >= len(expected))
    assert bytes(got) == expected


@contract('W2')
@pair_options(high_water_mark=4096)
def check_W2_write_returns_false_iff_queue_reaches_mark(pair: Pair) -> None:
    a, b = pair
    b.pause()
    hwm = a.writable_high_water_mark
    assert hwm == 4096
    total = 0
    while True:
        ret = a.write(CHUNK)
        total += len(CHUNK)
        length = a.writable_length
        assert ret is (length < hwm or length == 0)
        if not ret:
            break
        assert total < MAX_BYTES
    assert a.writable_need_drain is True
    assert a.write(b'more') is False  # still over the mark
    problems: List[Any] = []
    a.on('error', problems.append)
    a.end()
    late: List[Any] = []
    assert a.write(b'after end', late.append) is False
    wait_until(lambda: late)
    assert late[0].code == 'ERR_STREAM_WRITE_AFTER_END'


@contract('W2')
def check_W2_write_returns_false_once_destroyed(pair: Pair) -> None:
    a, b = pair
    b.on('error', lambda *args: None)
    a.destroy()
    late: List[Any] = []
    assert a.write(b'x', late.append) is False
    wait_until(lambda: late)
    assert late[0].code == 'ERR_STREAM_DESTROYED'


@contract('W3')
@pair_options(high_water_mark=4096)
def check_W3_one_async_drain_after_false(pair: Pair) -> None:
    a, b = pair
    b.pause()
    drains: List[int] = []
    a.on('drain', lambda: drains.append(a.writable_length))
    total = fill(a)
    assert drains == []  # never inside write()
    got = collect(b)
    b.resume()
    once(a, 'drain', timeout=WAIT)
    wait_until(lambda: len(got) >= total)
    idle_turns(5)
    assert drains == [0]
    assert len(got) == total


@contract('W4')
def check_W4_order_of_bytes_and_callbacks(pair: Pair) -> None:
    a, b = pair
    got = collect(b)
    calls: List[Any] = []
    chunks = [bytes([i % 251]) * (1 + (i * 7919) % 5000) for i in range(200)]
    for index, chunk in enumerate(chunks):
        a.write(chunk, lambda err, index=index: calls.append((index, err)))
    a.end()
    once(b, 'end', timeout=WAIT)
    wait_until(lambda: len(calls) >= len(chunks) and a.writable_finished)
    idle_turns(3)
    assert bytes(got) == b''.join(chunks)
    assert calls == [(index, None) for index in range(len(chunks))]


@contract('W5')
def check_W5_end_flushes_then_finish_once_and_write_after_end_fails(pair: Pair) -> None:
    a, b = pair
    got = collect(b)
    events: List[Any] = []
    a.on('finish', lambda: events.append('finish'))
    a.on('error', lambda err: events.append(('error', err.code)))
    for _ in range(20):
        a.write(CHUNK)
    end_calls: List[Any] = []
    assert a.end(b'tail', end_calls.append) is a
    assert events == [] and a.writable_ended and not a.writable
    once(b, 'end', timeout=WAIT)
    assert bytes(got) == CHUNK * 20 + b'tail'
    wait_until(lambda: end_calls and events)
    assert events == ['finish'] and end_calls == [None] and a.writable_finished
    late: List[Any] = []
    a.write(b'late', late.append)
    wait_until(lambda: late and len(events) > 1)
    assert late[0].code == 'ERR_STREAM_WRITE_AFTER_END'
    assert events == ['finish', ('error', 'ERR_STREAM_WRITE_AFTER_END')]


@contract('R1')
def check_R1_data_only_while_flowing(pair: Pair) -> None:
    a, b = pair
    data: List[bytes] = []
    b.pause()
    b.on('data', data.append)  # pause() was explicit: the listener does not start the flow
    assert b.readable_flowing is False and b.is_paused()
    a.write(b'hello')
    wait_until(lambda: b.readable_length == 5)
    idle_turns(3)
    assert data == []
    b.resume()
    assert b.readable_flowing is True
    wait_until(lambda: data)
    assert b''.join(data) == b'hello'


@contract('R1')
def check_R1_data_listener_starts_the_flow(pair: Pair) -> None:
    a, b = pair
    assert b.readable_flowing is None
    data: List[bytes] = []
    b.on('data', data.append)
    assert b.readable_flowing is True
    a.write(b'go')
    wait_until(lambda: data)
    assert b''.join(data) == b'go'


@contract('R2')
@pair_options(high_water_mark=4096)
def check_R2_pause_stops_reading_at_the_mark(pair: Pair) -> None:
    a, b = pair
    b.pause()
    total = saturate(a)                       # the writer stays blocked: backpressure
    assert a.writable_need_drain and a.writable_length > 0
    assert b.readable_length >= b.readable_high_water_mark
    assert b.readable_length < total          # the reader stopped taking data
    got = collect(b)
    b.resume()
    wait_until(lambda: len(got) >= total)
    assert bytes(got) == CHUNK * (total // len(CHUNK))


@contract('R3')
def check_R3_set_encoding_keeps_split_characters_whole(pair: Pair) -> None:
    a, b = pair
    assert b.set_encoding('utf8') is b
    chunks: List[Any] = []
    b.on('data', chunks.append)
    text = 'héllo wörld € 𝄞 ' * 64
    data = text.encode()
    for start in range(0, len(data), 3):  # most writes split a character
        a.write(data[start:start + 3])
    a.end()
    once(b, 'end', timeout=WAIT)
    assert all(isinstance(chunk, str) for chunk in chunks)
    assert ''.join(chunks) == text
    assert b.readable_encoding == 'utf8'


@contract('R4')
def check_R4_end_once_after_last_data(pair: Pair) -> None:
    a, b = pair
    events: List[str] = []
    b.on('data', lambda chunk: events.append('data'))
    b.on('end', lambda: events.append('end'))
    b.on('error', lambda err: events.append('error'))
    a.write(b'1')
    a.write(b'2')
    a.end(b'3')
    once(b, 'end', timeout=WAIT)
    idle_turns(5)
    assert events.count('end') == 1 and events[-1] == 'end' and 'error' not in events
    assert b.readable_ended


@contract('R4')
def check_R4_no_end_after_error(pair: Pair) -> None:
    a, b = pair
    events: List[str] = []
    b.on('data', lambda chunk: events.append('data'))
    b.on('end', lambda: events.append('end'))
    b.on('error', lambda err: events.append('error'))
    b.on('close', lambda *args: events.append('close'))
    a.write(b'payload')
    wait_until(lambda: 'data' in events)
    b.destroy(RuntimeError('reader failed'))
    a.end()
    wait_until(lambda: 'close' in events)
    idle_turns(5)
    assert events[-2:] == ['error', 'close'] and 'end' not in events


@contract('D1')
@pair_options(allow_half_open=False)
def check_D1_half_open_false_ends_our_side(pair: Pair) -> None:
    a, b = pair
    assert b.allow_half_open is False
    a.resume()
    b.resume()
    a.end()
    once(b, 'end', timeout=WAIT)
    wait_until(lambda: b.writable_ended)
    assert not b.writable
    wait_until(lambda: a.readable_ended)  # b's automatic end() reached a


@contract('D1')
def check_D1_half_open_true_stays_writable(pair: Pair) -> None:
    a, b = pair
    assert b.allow_half_open is True
    got = collect(a)
    b.resume()
    a.end()
    once(b, 'end', timeout=WAIT)
    idle_turns(3)
    assert b.writable and not b.writable_ended
    b.end(b'still here')
    once(a, 'end', timeout=WAIT)
    assert bytes(got) == b'still here'


@contract('D2')
@pair_options(high_water_mark=4096)
def check_D2_destroy_idempotent_error_then_close_pending_callbacks(pair: Pair) -> None:
    a, b = pair
    b.on('error', lambda *args: None)
    b.pause()
    events: List[Any] = []
    a.on('error', lambda err: events.append(('error', err)))
    a.on('close', lambda *args: events.append('close'))
    fill(a)
    calls: List[Any] = []
    for index in range(3):  # queued behind the mark
        a.write(b'queued', lambda err, index=index: calls.append((index, err)))
    boom = RuntimeError('boom')
    assert a.destroy(boom) is a
    a.destroy()
    a.destroy(RuntimeError('other'))
    assert a.destroyed
    wait_until(lambda: 'close' in events and len(calls) == 3)
    idle_turns(5)
    assert events == [('error', boom), 'close']
    assert [index for index, _ in calls] == [0, 1, 2]
    for _, err in calls:
        assert err is boom or getattr(err, 'code', None) == 'ERR_STREAM_DESTROYED'
    assert a.closed and a.errored is boom


@contract('D2')
def check_D2_destroy_without_error_closes_once(pair: Pair) -> None:
    a, b = pair
    b.on('error', lambda *args: None)
    events: List[Any] = []
    a.on('error', lambda err: events.append('error'))
    a.on('close', lambda *args: events.append('close'))
    a.destroy()
    a.destroy()
    wait_until(lambda: events)
    idle_turns(5)
    assert events == ['close'] and a.errored is None


def _record(stream: Any, log: List[str]) -> None:
    for event in ('end', 'finish', 'error', 'close'):
        stream.on(event, lambda *args, event=event: log.append(event))


@contract('D3')
def check_D3_event_order_graceful(pair: Pair) -> None:
    a, b = pair
    log_a: List[str] = []
    log_b: List[str] = []
    _record(a, log_a)
    _record(b, log_b)
    a.resume()
    b.resume()
    a.write(b'x')
    a.end()
    once(b, 'end', timeout=WAIT)
    b.end()
    wait_until(lambda: 'close' in log_a and 'close' in log_b)
    idle_turns(5)
    for log in (log_a, log_b):
        assert log.count('close') == 1 and log[-1] == 'close'
        assert log.count('end') == 1 and log.count('finish') == 1 and 'error' not in log


@contract('D3')
def check_D3_event_order_error(pair: Pair) -> None:
    a, b = pair
    b.on('error', lambda *args: None)
    log: List[str] = []
    _record(a, log)
    a.destroy(RuntimeError('x'))
    wait_until(lambda: 'close' in log)
    idle_turns(5)
    assert log == ['error', 'close']
