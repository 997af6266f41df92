"""Node's ``events.EventEmitter``.

Owns: listener registration and ``emit`` with Node's semantics (snapshot of
the listener list per emit, ``'newListener'``/``'removeListener'``, once
wrappers, max-listener warnings, ``'error'`` with no listener raises).
Must not import: gevent, sockets, the loop (pure module).

Hot path: ``emit`` with zero or one listener does no allocation beyond the
call itself; listener lists are replaced, never mutated, so an emit in
progress keeps the list it started with.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Dict, List, Optional, Set, Tuple, TypeVar

from zope.interface import implementer

from . import errors
from .interfaces import IEventEmitter
from .naming import node_aliases

__all__ = ['EventEmitter', 'default_max_listeners']

Listener = Callable[..., Any]
_E = TypeVar('_E', bound='EventEmitter')

#: Node's ``EventEmitter.defaultMaxListeners``.
default_max_listeners = 10


class _Once:
    """A once-wrapper: removes itself, then calls the listener once."""

    __slots__ = ('emitter', 'event', 'listener', 'fired')

    def __init__(self, emitter: 'EventEmitter', event: str, listener: Listener):
        self.emitter = emitter
        self.event = event
        self.listener = listener
        self.fired = False  # guards re-entrant emits that still hold the old list

    def __call__(self, *args: Any) -> Any:
        if self.fired:
            return None
        self.fired = True
        self.emitter.remove_listener(self.event, self)
        return self.listener(*args)


def _unwrap(listener: Listener) -> Listener:
    return listener.listener if isinstance(listener, _Once) else listener


@node_aliases
@implementer(IEventEmitter)
class EventEmitter:
    """Node's EventEmitter.  Listeners are plain callables receiving the args."""

    # not __slots__: subclasses (streams, sockets) add their own state freely
    _events: Dict[str, Tuple[Listener, ...]]
    _max_listeners: Optional[float]
    _warned: Optional[Set[str]]

    def __init__(self) -> None:
        self._events = {}
        self._max_listeners = None
        self._warned = None

    # -- registration -------------------------------------------------------
    def _add(self: _E, event: str, listener: Listener, prepend: bool) -> _E:
        if not callable(listener):
            raise errors.ERR_INVALID_ARG_TYPE('listener', 'Function', listener)
        events = self._events
        if 'newListener' in events:
            self.emit('newListener', event, _unwrap(listener))
        current = events.get(event, ())
        events[event] = (listener,) + current if prepend else current + (listener,)
        limit = self._max_listeners
        if limit is None:
            limit = default_max_listeners
        if limit and len(current) + 1 > limit:
            self._warn_leak(event, len(current) + 1)
        return self

    def _warn_leak(self, event: str, count: int) -> None:
        if self._warned is None:
            self._warned = set()
        if event in self._warned:
            return
        self._warned.add(event)
        warnings.warn('Possible EventEmitter memory leak detected. %d %s listeners added to %s. '
                      'Use emitter.set_max_listeners() to increase limit'
                      % (count, event, type(self).__name__), RuntimeWarning, stacklevel=4)

    def on(self: _E, event: str, listener: Listener) -> _E:
        """Append ``listener`` for ``event``; returns the emitter."""
        return self._add(event, listener, False)

    add_listener = on

    def prepend_listener(self: _E, event: str, listener: Listener) -> _E:
        return self._add(event, listener, True)

    def once(self: _E, event: str, listener: Listener) -> _E:
        """Call ``listener`` at most once, on the next ``event``."""
        if not callable(listener):
            raise errors.ERR_INVALID_ARG_TYPE('listener', 'Function', listener)
        return self._add(event, _Once(self, event, listener), False)

    def prepend_once_listener(self: _E, event: str, listener: Listener) -> _E:
        if not callable(listener):
            raise errors.ERR_INVALID_ARG_TYPE('listener', 'Function', listener)
        return self._add(event, _Once(self, event, listener), True)

    def remove_listener(self: _E, event: str, listener: Listener) -> _E:
        """Remove the most recently added instance of ``listener`` (Node's rule)."""
        if not callable(listener):
            raise errors.ERR_INVALID_ARG_TYPE('listener', 'Function', listener)
        current = self._events.get(event)
        if not current:
            return self
        for index in range(len(current) - 1, -1, -1):
            candidate = current[index]
            if candidate is listener or candidate == listener or _unwrap(candidate) == listener:
                rest = current[:index] + current[index + 1:]
                if rest:
                    self._events[event] = rest
                else:
                    del self._events[event]
                if 'removeListener' in self._events:
                    self.emit('removeListener', event, _unwrap(candidate))
                break
        return self

    off = remove_listener

    def remove_all_listeners(self: _E, event: Optional[str] = None) -> _E:
        events = self._events
        if event is not None:
            names = [event] if event in events else []
        else:
            # Node removes 'removeListener' listeners last, so they observe the rest
            names = [name for name in events if name != 'removeListener']
            if 'removeListener' in events:
                names.append('removeListener')
        for name in names:
            listeners = events.get(name, ())
            for listener in reversed(listeners):
                self.remove_listener(name, listener)
            events.pop(name, None)
        return self

    # -- inspection -----------------------------------------------------------
    def listeners(self, event: str) -> List[Listener]:
        return [_unwrap(listener) for listener in self._events.get(event, ())]

    def raw_listeners(self, event: str) -> List[Listener]:
        return list(self._events.get(event, ()))

    def listener_count(self, event: str, listener: Optional[Listener] = None) -> int:
        current = self._events.get(event, ())
        if listener is None:
            return len(current)
        return sum(1 for item in current if item is listener or _unwrap(item) == listener)

    def event_names(self) -> List[str]:
        return list(self._events)

    def set_max_listeners(self: _E, n: int) -> _E:
        if isinstance(n, bool) or not isinstance(n, (int, float)):
            raise errors.ERR_INVALID_ARG_TYPE('n', 'number', n)
        if not 0 <= n:  # also NaN; Node accepts fractions and Infinity
            raise errors.ERR_OUT_OF_RANGE('n', 'a non-negative number', n)
        self._max_listeners = n
        return self

    def get_max_listeners(self) -> float:
        limit = self._max_listeners
        return default_max_listeners if limit is None else limit

    # -- emit -------------------------------------------------------------------
    def emit(self, event: str, *args: Any) -> bool:
        """Call every listener of ``event`` synchronously, in order.

        Returns True if there were listeners.  ``'error'`` with no listener
        raises the error (or ``ERR_UNHANDLED_ERROR`` wrapping a non-exception).
        """
        listeners = self._events.get(event)
        if listeners is None:
            if event == 'error':
                err = args[0] if args else None
                if isinstance(err, BaseException):
                    raise err
                raise errors.ERR_UNHANDLED_ERROR(err, context=err)
            return False
        if len(listeners) == 1:
            listeners[0](*args)
        else:
            for listener in listeners:
                listener(*args)
        return True

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    addListener = add_listener
    prependListener = prepend_listener
    prependOnceListener = prepend_once_listener
    removeListener = remove_listener
    removeAllListeners = remove_all_listeners
    rawListeners = raw_listeners
    listenerCount = listener_count
    eventNames = event_names
    setMaxListeners = set_max_listeners
    getMaxListeners = get_max_listeners


def listener_count(emitter: EventEmitter, event: str) -> int:
    """Node's deprecated ``EventEmitter.listenerCount(emitter, event)``."""
    return emitter.listener_count(event)
