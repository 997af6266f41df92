"""Node's ``AbortController`` and ``AbortSignal``.

Owns: the signal's state (``aborted``, ``reason``), its single ``'abort'``
event, and the static constructors ``AbortSignal.abort()`` /
``AbortSignal.timeout(ms)`` / ``AbortSignal.any(signals)``.
Must not import: sockets, streams.  Timers come from the loop module.
"""

from typing import Any, Iterable, Optional

from zope.interface import implementer

from . import errors
from .events import EventEmitter
from .interfaces import IAbortSignal
from .naming import node_aliases
from .runtime import loop
from .validators import validate_uint32

__all__ = ['AbortController', 'AbortSignal']

_TOKEN = object()


class _TimeoutError(errors.NodeError):
    """DOMException TimeoutError, the reason of ``AbortSignal.timeout``."""

    code = 'ETIMEDOUT'
    name = 'TimeoutError'


@node_aliases
@implementer(IAbortSignal)
class AbortSignal(EventEmitter):
    """Made by an :class:`AbortController`; listeners get ``'abort'`` once."""

    def __init__(self, _token: Any = None):
        if _token is not _TOKEN:
            raise errors.ERR_ILLEGAL_CONSTRUCTOR()
        EventEmitter.__init__(self)
        self.aborted: bool = False
        self.reason: Any = None
        self.onabort: Any = None

    def _abort(self, reason: Any) -> None:
        if self.aborted:
            return
        self.aborted = True
        self.reason = errors.AbortError('This operation was aborted') if reason is None else reason
        if self.onabort is not None:
            self.onabort(self.reason)
        self.emit('abort', self.reason)

    def throw_if_aborted(self) -> None:
        if self.aborted:
            reason = self.reason
            if isinstance(reason, BaseException):
                raise reason
            raise errors.AbortError(cause=reason)

    # EventTarget spelling, as Node code uses it
    def add_event_listener(self, event: str, listener: Any, options: Any = None) -> None:
        once = bool(options.get('once')) if isinstance(options, dict) else False
        (self.once if once else self.on)(event, listener)

    def remove_event_listener(self, event: str, listener: Any, options: Any = None) -> None:
        self.remove_listener(event, listener)

    @staticmethod
    def abort(reason: Any = None) -> 'AbortSignal':
        signal = AbortSignal(_TOKEN)
        signal._abort(reason)
        return signal

    @staticmethod
    def timeout(ms: int) -> 'AbortSignal':
        validate_uint32(ms, 'delay')  # as Node
        signal = AbortSignal(_TOKEN)
        timer = loop.set_timeout(
            lambda: signal._abort(_TimeoutError('The operation was aborted due to timeout')), ms)
        timer.unref()  # as in Node, a timeout signal does not keep the process alive
        return signal

    @staticmethod
    def any(signals: Iterable['AbortSignal']) -> 'AbortSignal':
        if isinstance(signals, (str, bytes)) or not hasattr(signals, '__iter__'):
            raise errors.ERR_INVALID_ARG_TYPE('signals', 'Array', signals)
        signals = list(signals)
        for index, signal in enumerate(signals):
            if not isinstance(signal, AbortSignal):
                raise errors.ERR_INVALID_ARG_TYPE('signals[%d]' % index, 'AbortSignal', signal)
        combined = AbortSignal(_TOKEN)
        for signal in signals:
            if signal.aborted:
                combined._abort(signal.reason)
                return combined
        for signal in signals:
            signal.once('abort', combined._abort)
        return combined

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    throwIfAborted = throw_if_aborted
    addEventListener = add_event_listener
    removeEventListener = remove_event_listener


@node_aliases
class AbortController:
    """Owns one :class:`AbortSignal`; ``abort(reason)`` fires it once."""

    __slots__ = ('signal',)

    def __init__(self) -> None:
        self.signal: 'AbortSignal' = AbortSignal(_TOKEN)

    def abort(self, reason: Optional[Any] = None) -> None:
        self.signal._abort(reason)


def validate_signal(signal: Any, name: str = 'options.signal') -> Optional[AbortSignal]:
    """None, or an AbortSignal; anything else is ERR_INVALID_ARG_TYPE."""
    if signal is not None and not isinstance(signal, AbortSignal):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal)
    return signal
