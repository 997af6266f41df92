"""Helpers for the stream tests: run the gnet loop to quiescence, record events.

No sleeping: ``settle()`` waits on an immediate (which runs after every queued
tick) until the runner has no tick left; ``wait_until`` re-checks a predicate
after each such turn, bounded by a deadline.
"""

import time
from typing import Any, Callable, List

from gevent.event import Event

from gnet.runtime import loop


def turn(timeout: float = 5.0) -> None:
    """Let the loop runner run one turn (all queued ticks, then our immediate)."""
    done = Event()
    loop.get_loop().set_immediate(done.set)
    if not done.wait(timeout):
        raise AssertionError('the gnet loop did not turn within %ss' % timeout)


def settle(max_turns: int = 200) -> None:
    """Run the loop until no tick is pending (bounded)."""
    runner = loop.get_loop().runner
    for _ in range(max_turns):
        turn()
        if not runner.pending:
            return
    raise AssertionError('the gnet loop did not settle')


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0) -> None:
    """Turn the loop (timers included) until ``predicate()`` is true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('condition not met within %ss' % timeout)
        done = Event()
        loop.get_loop().set_timeout(done.set, 1)
        done.wait(timeout)


def later(fn: Callable[..., Any], ms: int = 1, *args: Any) -> None:
    """Run ``fn`` on a gnet timer (an asynchronous completion in the tests)."""
    loop.set_timeout(fn, ms, *args)


def record(emitter: Any, log: List[Any], *events: str, prefix: str = '') -> None:
    """Append ``prefix + event`` to ``log`` for every emission of ``events``."""
    for event in events:
        def listener(*args: Any, _event: str = event) -> None:
            log.append(prefix + _event)
        emitter.on(event, listener)


def code(err: Any) -> Any:
    """The error's ``.code`` (or its text), None for None."""
    if err is None:
        return None
    return getattr(err, 'code', None) or str(err)


def text(chunk: Any) -> str:
    return chunk.decode() if isinstance(chunk, (bytes, bytearray)) else chunk


def expect(log: List[Any], expected: List[Any], timeout: float = 5.0) -> None:
    """Wait until ``log`` has as many entries as ``expected``, settle, compare."""
    try:
        wait_until(lambda: len(log) >= len(expected), timeout)
    except AssertionError:
        pass  # the comparison below shows what is missing
    settle()
    assert log == expected
