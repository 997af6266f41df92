"""Greenlet-native helpers beyond Node (docs/api.md, "Greenlet helpers").

Owns: ``once(emitter, event, timeout)``, which blocks the calling greenlet,
``iterate(stream)``, the blocking iteration behind ``for chunk in stream``
(installed into :mod:`gnet.streams.hooks` by :mod:`gnet.runtime`), and
``spawn(fn, *args)``, a greenlet whose exception follows the loop's
uncaught-exception rule.
Must not import: sockets, servers.  It may import the streams (they never
import the runtime).

How a wait waits (:class:`_Wakeup`).  In a plain greenlet it parks on a
gevent ``Event``.  In an executor's own greenlet -- a socket's listener, a
timer callback -- parking would stop that executor, and the socket whose
listener waits would never read what it waits for; so the wait *pumps* the
executor instead (:meth:`gnet.runtime.executor.Executor.pump`): its ticks,
reads, flushes (and, for the loop's runner, timers and immediates) go on
until the awaited event comes, as Node's loop goes on during an ``await``.
"""

import errno as _errno
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from gevent import Greenlet
from gevent.event import Event
from greenlet import GreenletExit, getcurrent

from .. import errors
from ..streams.pipe import finished
from .loop import Loop, get_loop

__all__ = ['once', 'iterate', 'spawn']


class _Wakeup:
    """A flag the greenlet that made it waits on; :meth:`set` from any greenlet or the hub."""

    __slots__ = ('is_set', '_executor', '_event')

    def __init__(self) -> None:
        self.is_set = False
        self._executor = getattr(getcurrent(), 'gnet_executor', None)
        self._event = Event() if self._executor is None else None

    def set(self) -> None:
        self.is_set = True
        executor = self._executor
        if executor is not None:
            executor.wake()  # a no-op if it is set from inside the pump itself
        else:
            self._event.set()  # type: ignore[union-attr]

    def clear(self) -> None:
        self.is_set = False
        if self._event is not None:
            self._event.clear()

    def _done(self) -> bool:
        return self.is_set

    def wait(self, timeout: Optional[float] = None, awaited: Any = None) -> bool:
        """Until :meth:`set`; False if ``timeout`` seconds passed first."""
        if self.is_set:
            return True
        if self._executor is not None:
            return bool(self._executor.pump(self._done, timeout, awaited))
        with _not_keeping_run_alive():
            return bool(self._event.wait(timeout))  # type: ignore[union-attr]


def once(emitter: Any, event: str, timeout: Optional[float] = None) -> Tuple[Any, ...]:
    """Block until ``event`` fires; return its arguments as a tuple.

    If ``'error'`` fires first, raise that error.  ``timeout`` is in
    *seconds* (like gevent; None waits for ever); on expiry it raises a
    :class:`gnet.errors.SysError` with code ``'ETIMEDOUT'`` and syscall
    ``'once'`` -- a ``TimeoutError``, so an ordinary ``Exception`` (unlike
    ``gevent.Timeout``) -- whose message names the event and the timeout
    (``once ETIMEDOUT: no 'data' event within 0.5 s``) and whose ``.event``
    and ``.timeout`` hold them.  A ``gevent.Timeout`` around the call is
    not turned into one: it passes through as it is.  The listeners
    added here are removed before returning, whatever the outcome.  In a
    socket's own greenlet (one of its listeners) the socket goes on
    reading and writing meanwhile (module docstring).
    """
    wakeup = _Wakeup()
    outcome: List[Tuple[bool, Any]] = []  # (True, args) or (False, error)

    def on_event(*args: Any) -> None:
        if not outcome:
            outcome.append((True, args))
            wakeup.set()

    def on_error(err: Any = None, *rest: Any) -> None:
        if not outcome:
            outcome.append((False, err if isinstance(err, BaseException) else RuntimeError(err)))
            wakeup.set()

    emitter.on(event, on_event)
    if event != 'error':
        emitter.on('error', on_error)
    try:
        if not wakeup.wait(timeout, emitter):
            raise _timed_out(event, timeout or 0.0)  # only a timeout that is not None expires
        ok, value = outcome[0]
        if not ok:
            raise value
        return tuple(value)
    finally:
        emitter.remove_listener(event, on_event)
        if event != 'error':
            emitter.remove_listener('error', on_error)


def _timed_out(event: str, timeout: float) -> errors.SysError:
    """The error :func:`once` raises when ``timeout`` seconds pass without ``event``."""
    return errors.SysError(_errno.ETIMEDOUT, 'once', event=event, timeout=timeout,
                           extra='no %r event within %g s' % (event, timeout))


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

    It works from any greenlet, including the stream's own (inside one of
    its listeners: the wait pumps it, see the module docstring).
    """
    wake = _Wakeup()
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


# -- spawn ------------------------------------------------------------------------------------
def spawn(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> 'Greenlet[..., Any]':
    """Start ``fn(*args, **kwargs)`` in a new gevent greenlet; return it (started).

    Node's call of an ``async`` function that nobody awaits: an exception
    escaping ``fn`` is an uncaught exception of origin
    ``'unhandledRejection'`` (:meth:`gnet.runtime.loop.Loop.report`): it is
    raised out of ``gnet.run()`` -- or handed to ``gnet.process``'s
    listeners -- and the greenlet itself ends with the value None.  While
    the greenlet is alive it keeps ``run()`` going (in Node, what it waits
    for -- a timer, a socket -- would), except while it waits in
    :func:`once` or an iteration: then only what it waits for counts, as a
    pending ``await`` does not keep Node alive.
    """
    if not callable(fn):
        raise errors.ERR_INVALID_ARG_TYPE('fn', 'Function', fn)
    owner = get_loop()
    glet = Greenlet(_spawned, owner, fn, args, kwargs)
    glet.gnet_keeps = owner  # type: ignore[attr-defined]
    owner._add_ref()
    glet.rawlink(_spawned_ended)
    glet.start()
    return glet


def _spawned(owner: Loop, fn: Callable[..., Any], args: Tuple[Any, ...],
             kwargs: Dict[str, Any]) -> Any:
    try:
        return fn(*args, **kwargs)
    except (GreenletExit, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the uncaught-exception rule
        owner.report(exc, getcurrent(), 'unhandledRejection')
        return None


def _spawned_ended(glet: Any) -> None:  # a rawlink: runs in the hub once the greenlet is dead
    owner = getattr(glet, 'gnet_keeps', None)
    if owner is not None:
        glet.gnet_keeps = None
        owner._drop_ref()


@contextmanager
def _not_keeping_run_alive() -> Iterator[None]:
    """While a :func:`spawn` greenlet waits in a gnet wait, it does not keep ``run()`` alive."""
    glet = getcurrent()
    owner = getattr(glet, 'gnet_keeps', None)
    if owner is None:
        yield
        return
    glet.gnet_keeps = None  # type: ignore[attr-defined]
    owner._drop_ref()
    try:
        yield
    finally:
        glet.gnet_keeps = owner  # type: ignore[attr-defined]
        owner._add_ref()
