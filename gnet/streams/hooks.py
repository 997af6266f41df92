"""The streams' one link to the runtime: three slots the runtime fills in.

Owns: ``next_tick`` (queue a callback after the current task), ``report``
(hand an uncaught exception to the loop's rule) and ``iterate`` (blocking
``for chunk in stream``).  :mod:`gnet.runtime` installs its functions here
when it is imported, which ``import gnet`` always does first; the stream
modules call ``hooks.next_tick(...)``, looked up at call time.
Must not import: anything from gnet, gevent, greenlet or socket.  This is
what keeps the state machines sans-IO: they name no scheduler, only a slot.
"""

from typing import Any, Callable, Iterator, NoReturn

__all__ = ['next_tick', 'report', 'iterate', 'install']


def _not_installed(*_args: Any) -> NoReturn:
    raise RuntimeError('gnet.streams used without gnet.runtime (import gnet first)')


#: ``next_tick(fn, *args)``: run ``fn(*args)`` after the current task, before timers
next_tick: Callable[..., None] = _not_installed
#: ``report(exc, source)``: the loop's uncaught-exception rule (True: a handler took it)
report: Callable[[BaseException, Any], object] = _not_installed
#: ``iterate(stream)``: block the calling greenlet per chunk
iterate: Callable[[Any], Iterator[Any]] = _not_installed


def install(next_tick_fn: Callable[..., None], report_fn: Callable[[BaseException, Any], object],
            iterate_fn: Callable[[Any], Iterator[Any]]) -> None:
    """Fill the slots (called once by :mod:`gnet.runtime`)."""
    global next_tick, report, iterate
    next_tick, report, iterate = next_tick_fn, report_fn, iterate_fn
