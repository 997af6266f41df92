"""Node's ``stream.Writable``: the write-side state machine, sans-IO.

Owns: :class:`Writable`, the public face of the state machine in
:mod:`gnet.streams.writable_state` -- the queue with one
``_write`` in flight, ``_writev`` batching, cork/uncork, ``end`` in all of
Node's forms, ``_final`` before ``'finish'``, ``'drain'`` (W3), write-after-end
and write-after-destroy errors, ERR_MULTIPLE_CALLBACK, and the Writable half
of ``destroy``.
Must not import: gevent, greenlet, socket.  Schedules only through
``hooks.next_tick`` (looked up at call time, so tests may reset loops).

Reference: Node 20 ``lib/internal/streams/writable.js`` (``_write``,
``writeOrBuffer``, ``onwrite``, ``afterWrite``, ``clearBuffer``,
``finishMaybe``); the function names below follow it.

Rules (contracts W1-W5, stated in ``gnet.interfaces.CONTRACTS``):

* ``write()`` returns what W2 says (the rule lives in
  ``writable_state._write``).
* A ``_write`` that calls back synchronously has its user callback, the
  ``'drain'`` check and ``'finish'`` deferred to the next tick, as in Node.
* ``end(cb)`` on a destroyed stream calls ``cb(ERR_STREAM_DESTROYED)``, as
  Node's documentation says (node 20 itself never calls that callback when
  the destroy left nothing queued -- a callback that never fires is a bug in
  Python terms).
* ``str`` chunks become ``bytes`` before ``_write`` unless
  ``decode_strings=False``; ``bytearray``/``memoryview`` chunks go straight
  to an idle ``_write`` and are copied to ``bytes`` when they must wait in the
  queue (the caller may reuse its buffer).
"""

from __future__ import annotations

from typing import Any, Callable, List, Mapping, Optional, Tuple, cast

from zope.interface import implementer

from .. import errors
from ..interfaces import IWritable
from ..naming import node_aliases, options as _options
from .base import Stream, construct, error_or_destroy, install_hooks
from .writable_state import Callback, WritableState, _write, clear_buffer, end, writable_destroy

__all__ = ['Writable', 'WritableState']


@node_aliases
@implementer(IWritable)
class Writable(Stream):
    """Node's ``stream.Writable``.  Subclasses implement ``_write`` (and maybe ``_writev``, ``_final``)."""

    _writev: Optional[Callable[..., Any]] = None
    _final: Optional[Callable[..., Any]] = None

    def __init__(self, options: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> None:
        opts = _options(options, **kwargs)
        Stream.__init__(self)
        self._writable_state = WritableState(opts, self, False)
        install_hooks(self, opts, ('write', 'writev', 'destroy', 'final', 'construct'))
        if self._construct is not None:
            construct(self, lambda: self._writable_state.on_constructed(self))

    def _write(self, chunk: Any, encoding: str, callback: Callable[..., Any]) -> None:
        """Write one chunk, then ``callback(err=None)``."""
        if self._writev is not None:
            self._writev([(chunk, encoding)], callback)
        else:
            raise errors.ERR_METHOD_NOT_IMPLEMENTED('_write()')

    # -- public API -----------------------------------------------------------------------
    def write(self, chunk: Any, encoding: Any = None, cb: Callback = None) -> bool:
        """Queue ``chunk``; return the W2 answer (``gnet.interfaces.CONTRACTS['W2']``)."""
        if encoding is not None and callable(encoding):
            cb, encoding = encoding, None
        elif cb is not None and not callable(cb):
            cb = None  # node ignores a callback that is not a function
        return _write(self, self._writable_state, chunk, encoding, cb) is True

    def end(self, chunk: Any = None, encoding: Any = None, cb: Callback = None) -> 'Writable':
        """``end([chunk][, encoding][, cb])``: write ``chunk``, then finish (W5)."""
        return end(self, chunk, encoding, cb)  # type: ignore[no-any-return]

    def cork(self) -> None:
        self._writable_state.corked += 1

    def uncork(self) -> None:
        state = self._writable_state
        if state.corked:
            state.corked -= 1
            if not state.writing:
                clear_buffer(self, state)

    def set_default_encoding(self, encoding: str) -> 'Writable':
        from .encodings import check
        self._writable_state.default_encoding = check(encoding)
        return self

    def destroy(self, err: Optional[BaseException] = None, cb: Callback = None) -> 'Writable':
        """D2: idempotent; queued writes fail; ``'error'`` (if any) then ``'close'``."""
        return writable_destroy(self, err, cb)  # type: ignore[no-any-return]

    def pipe(self, *args: Any) -> None:
        error_or_destroy(self, errors.ERR_STREAM_CANNOT_PIPE())

    # -- properties ------------------------------------------------------------------------
    @property
    def writable(self) -> bool:
        """True while ``write()`` may be called (not ended, destroyed or errored)."""
        w = self._writable_state
        return (w.writable is not False and not w.ending and not w.ended and not w.destroyed
                and w.errored is None)

    @property
    def writable_need_drain(self) -> bool:
        """True after ``write()`` returned False until ``'drain'`` (not once ending/destroyed)."""
        w = self._writable_state
        return w.need_drain and not w.destroyed and not w.ending

    @property
    def writable_aborted(self) -> bool:
        """True if destroyed or errored before ``'finish'``."""
        w = self._writable_state
        return w.writable is not False and (w.destroyed or w.errored is not None) and not w.finished

    @property
    def writable_ended(self) -> bool:
        """True once end() was called."""
        return cast(bool, self._writable_state.ending)

    @property
    def writable_finished(self) -> bool:
        """True once 'finish' was emitted."""
        return cast(bool, self._writable_state.finished)

    @property
    def writable_length(self) -> int:
        """Bytes (or objects) queued or in flight."""
        return cast(int, self._writable_state.length)

    @property
    def writable_high_water_mark(self) -> int:
        """The W2 threshold."""
        return cast(int, self._writable_state.high_water_mark)

    @property
    def writable_corked(self) -> int:
        """Pending uncork() calls."""
        return cast(int, self._writable_state.corked)

    @property
    def writable_object_mode(self) -> bool:
        """True for a stream of objects (each counts 1)."""
        return cast(bool, self._writable_state.object_mode)

    @property
    def writable_buffer(self) -> List[Tuple[Any, str, Callback]]:
        """The queued (chunk, encoding, callback) entries."""
        return cast(List[Tuple[Any, str, Callback]], self._writable_state.get_buffer())

    @property
    def destroyed(self) -> bool:
        """True once destroy() was called."""
        return cast(bool, self._writable_state.destroyed)

    @property
    def closed(self) -> bool:
        """True once _destroy has called back."""
        return cast(bool, self._writable_state.closed)

    @property
    def errored(self) -> Optional[BaseException]:
        """The error the stream failed with, or None."""
        return cast(Optional[BaseException], self._writable_state.errored)

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    setDefaultEncoding = set_default_encoding
    writableNeedDrain = writable_need_drain
    writableAborted = writable_aborted
    writableEnded = writable_ended
    writableFinished = writable_finished
    writableLength = writable_length
    writableHighWaterMark = writable_high_water_mark
    writableCorked = writable_corked
    writableObjectMode = writable_object_mode
    writableBuffer = writable_buffer
