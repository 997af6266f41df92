"""Node's timer objects: ``Timeout`` (``set_timeout``/``set_interval``) and ``Immediate``.

Owns: the two handle classes and Node's delay coercion.  The loop
(:mod:`gnet.runtime.loop`) owns their heap and queue and runs them.
Must not import: the loop module (it imports this one: the timers see it
through :class:`TimerLoop`), gevent, streams, sockets.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, Tuple

from zope.interface import implementer

from .. import errors
from ..interfaces import ITimer
from ..naming import node_aliases
from ..validators import js_number

__all__ = ['TIMEOUT_MAX', 'Timeout', 'Immediate', 'TimerLoop']


class TimerLoop(Protocol):
    """What a timer needs of its loop (:class:`gnet.runtime.loop.Loop`)."""

    _imm_seq: int

    def _add_ref(self) -> None: ...

    def _drop_ref(self) -> None: ...

    def _schedule(self, timer: 'Timeout') -> None: ...

    def _cancel(self, timer: 'Timeout') -> None: ...


#: Node's TIMEOUT_MAX: delays above it (or below 1 ms) become 1 ms.
TIMEOUT_MAX = 2 ** 31 - 1


@node_aliases
@implementer(ITimer)
class Timeout:
    """Node's Timeout: returned by ``set_timeout``/``set_interval``."""

    __slots__ = ('_loop', '_fn', '_args', '_delay', '_repeat', '_due', '_seq',
                 '_active', '_ref', '__weakref__')

    def __init__(self, loop: TimerLoop, fn: Callable[..., Any], delay_ms: Any,
                 args: Tuple[Any, ...], repeat: bool):
        if not callable(fn):
            raise errors.ERR_INVALID_ARG_TYPE('callback', 'Function', fn)
        self._loop = loop
        self._fn = fn
        self._args = args
        self._delay = _coerce_delay(delay_ms)
        self._repeat = repeat
        self._due = 0.0
        self._seq = 0
        self._active = False  # in the heap and counted if referenced
        self._ref = True      # keeps run() alive while active

    def ref(self) -> 'Timeout':
        if not self._ref:
            self._ref = True
            if self._active:
                self._loop._add_ref()
        return self

    def unref(self) -> 'Timeout':
        if self._ref:
            self._ref = False
            if self._active:
                self._loop._drop_ref()
        return self

    def has_ref(self) -> bool:
        return self._ref

    def refresh(self) -> 'Timeout':
        if self._active:
            self._loop._schedule(self)
        return self

    def close(self) -> 'Timeout':
        self._loop._cancel(self)
        return self

    def __enter__(self) -> 'Timeout':
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return '<Timeout %sms%s%s>' % (self._delay * 1000, ' repeat' if self._repeat else '',
                                       '' if self._active else ' closed')

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    hasRef = has_ref


@node_aliases
@implementer(ITimer)
class Immediate:
    """Node's Immediate: returned by ``set_immediate``."""

    __slots__ = ('_loop', '_fn', '_args', '_pending', '_ref', '_seq')

    def __init__(self, loop: TimerLoop, fn: Callable[..., Any], args: Tuple[Any, ...]):
        if not callable(fn):
            raise errors.ERR_INVALID_ARG_TYPE('callback', 'Function', fn)
        self._loop = loop
        self._fn = fn
        self._args = args
        self._pending = True
        self._ref = True
        loop._imm_seq += 1
        self._seq = loop._imm_seq  # its turn: immediates queued by a turn wait for the next

    def ref(self) -> 'Immediate':
        if not self._ref:
            self._ref = True
            if self._pending:
                self._loop._add_ref()
        return self

    def unref(self) -> 'Immediate':
        if self._ref:
            self._ref = False
            if self._pending:
                self._loop._drop_ref()
        return self

    def has_ref(self) -> bool:
        return self._ref

    def refresh(self) -> 'Immediate':
        return self

    def close(self) -> 'Immediate':
        if self._pending:
            self._pending = False
            if self._ref:
                self._loop._drop_ref()
        return self

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    hasRef = has_ref


def _coerce_delay(ms: Any) -> float:
    """Node's rule: a non-number, NaN, < 1 or > TIMEOUT_MAX delay is 1 ms."""
    value = js_number(ms)  # Node's `after *= 1`; never raises
    if not (1 <= value <= TIMEOUT_MAX):
        value = 1.0
    return value / 1000.0
