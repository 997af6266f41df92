"""Greenlet-native helpers beyond Node (docs/api.md, "Blocking helpers").

Owns: ``once(emitter, event, timeout)``, which blocks the calling greenlet,
and ``iterate(stream)``, the blocking iteration behind ``for chunk in stream``
(installed into :mod:`gnet.streams.hooks` by :mod:`gnet.runtime`).
Must not import: sockets, servers.  It may import the streams (they never
import the runtime).
"""

from typing import Any, Iterator, List, Optional, Tuple, cast

from gevent import Timeout as _GeventTimeout
from gevent.event import AsyncResult, Event

from ..streams.pipe import finished

__all__ = ['once', 'iterate']


def once(emitter: Any, event: str, timeout: Optional[float] = None) -> Tuple[Any, ...]:
    """Block until ``event`` fires; return its arguments as a tuple.

    If ``'error'`` fires first, raise that error.  ``timeout`` is in seconds
    (like gevent); on expiry ``gevent.Timeout`` is raised.  The listeners
    added here are removed before returning, whatever the outcome.
    """
    result: 'AsyncResult[Tuple[Any, ...]]' = AsyncResult()

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
            return cast(Tuple[Any, ...], result.get())  # set() only ever gets args
    finally:
        emitter.remove_listener(event, on_event)
        if event != 'error':
            emitter.remove_listener('error', on_error)


_PENDING = object()


def iterate(stream: Any) -> Iterator[Any]:
    """``for chunk in stream``: Node's ``for await (const chunk of stream)``, blocking.

    Puts the stream in paused mode (a ``'readable'`` listener) and blocks the
    calling greenlet until a chunk is buffered; returns after ``'end'``;
    raises the stream's error (or ERR_STREAM_PREMATURE_CLOSE if it closed
    before ending).  Leaving the loop early (``break``, an exception, the
    generator being closed) destroys the stream, as Node does; unlike Node,
    it is destroyed without an error (Node uses an AbortError that would be
    an uncaught ``'error'``), and a stream that ended normally is not
    destroyed by the loop (its ``auto_destroy`` rule applies).

    Call it from a greenlet that does not run the stream's own ticks (not
    from inside one of the stream's listeners): it blocks until they run.
    """
    wake = Event()
    outcome: List[Any] = [_PENDING]  # _PENDING, None (ended) or the error

    def on_readable(*_args: Any) -> None:
        wake.set()

    def on_done(err: Optional[BaseException] = None) -> None:
        outcome[0] = err
        wake.set()

    stream.on('readable', on_readable)
    cleanup = finished(stream, on_done, writable=False)
    completed = False
    try:
        while True:
            chunk = None if stream.destroyed else stream.read()
            if chunk is not None:
                yield chunk
                continue
            error = outcome[0]
            if error is None:
                completed = True
                return
            if error is not _PENDING:
                completed = True
                raise error
            wake.clear()
            if stream.readable_length or outcome[0] is not _PENDING:
                continue
            wake.wait()
    finally:
        stream.remove_listener('readable', on_readable)
        cleanup()
        if not completed and not stream.destroyed:
            stream.destroy()
