"""Greenlet-native helpers beyond Node (API.md section 6).

Owns: ``once(emitter, event, timeout)``, which blocks the calling greenlet.
Must not import: sockets, streams (they import this for iteration).
"""

from typing import Any, Optional, Tuple

from gevent import Timeout as _GeventTimeout
from gevent.event import AsyncResult

__all__ = ['once']


def once(emitter: Any, event: str, timeout: Optional[float] = None) -> Tuple[Any, ...]:
    """Block until ``event`` fires; return its arguments as a tuple.

    If ``'error'`` fires first, raise that error.  ``timeout`` is in seconds
    (like gevent); on expiry ``gevent.Timeout`` is raised.  The listeners
    added here are removed before returning, whatever the outcome.
    """
    result = AsyncResult()

    def on_event(*args: Any) -> None:
        if not result.ready():
            result.set(args)

    def on_error(err: Any = None, *rest: Any) -> None:
        if not result.ready():
            result.set_exception(err if isinstance(err, BaseException) else RuntimeError(err))

    emitter.on(event, on_event)
    if event != 'error':
        emitter.on('error', on_error)
    try:
        with _GeventTimeout(timeout):
            return result.get()
    finally:
        emitter.remove_listener(event, on_event)
        if event != 'error':
            emitter.remove_listener('error', on_error)
