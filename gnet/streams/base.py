"""What Readable and Writable share: the Stream base, destroy and construct.

Owns: :class:`Stream` (an EventEmitter with ``_readable_state`` /
``_writable_state`` slots), the state fields both sides carry
(:class:`CommonState`), Node's ``destroyImpl`` (``destroy``, the
``'error'``-then-``'close'`` ticks, ``error_or_destroy``, ``construct``), the
option parsing shared by both sides (high-water marks, hooks given as
options) and the stream predicates used by pipe/pipeline/finished
(Node's ``internal/streams/utils``).
Must not import: gevent, greenlet, socket (pure: schedules only through
``hooks.next_tick``, looked up at call time).

Reference: Node 20 ``lib/internal/streams/destroy.js``, ``state.js``,
``utils.js``.

Hooks given as options (``write=``, ``read=``, ``final=``, ``destroy=``,
``construct=``, ...) become methods of the instance: they are called with the
stream first, exactly like a subclass's ``_write(self, chunk, encoding,
callback)`` -- Python's explicit ``self`` where Node passes ``this``.
"""

from __future__ import annotations

import types
from typing import Any, Callable, List, Mapping, Optional, Tuple

from .. import errors
from ..events import EventEmitter
from ..naming import node_aliases
from ..validators import is_integer
from . import hooks

__all__ = ['Stream', 'CommonState', 'destroy', 'error_or_destroy', 'construct',
           'high_water_mark', 'install_hooks', 'DEFAULT_HIGH_WATER_MARK',
           'DEFAULT_OBJECT_HIGH_WATER_MARK']

#: Default high-water mark in bytes: Node 20's ``getDefaultHighWaterMark()``,
#: 16 KiB (Node 22 raised it to 64 KiB).  Streams and sockets alike; a socket's
#: recv() size is its own matter (``gnet.net.socket_base.READ_SIZE``).
DEFAULT_HIGH_WATER_MARK = 16384
#: Default high-water mark in objects for object-mode streams.
DEFAULT_OBJECT_HIGH_WATER_MARK = 16


@node_aliases
class CommonState:
    """Fields both sides carry; one flag per slot."""

    __slots__ = (
        'object_mode',      # chunks are arbitrary objects counting 1 each
        'high_water_mark',  # the backpressure threshold
        'destroyed',        # destroy() was called
        'closed',           # _destroy() has called back
        'close_emitted',    # 'close' was emitted (or would have been)
        'errored',          # the error the stream failed with, or None
        'error_emitted',    # 'error' was emitted
        'emit_close',       # emit 'close' after destroy (option)
        'auto_destroy',     # destroy() after 'end'/'finish' (option)
        'constructed',      # _construct() has called back (True without one)
        'deferred_destroy',  # (err, cb) of a destroy() made while constructing
        'default_encoding',  # encoding of str chunks given without one
    )

    def __init__(self, opts: Mapping[str, Any], duplex_key: str, is_duplex: bool):
        self.object_mode: bool = bool(opts.get('object_mode'))
        self.high_water_mark: int = high_water_mark(opts, duplex_key, is_duplex, self.object_mode)
        self.destroyed: bool = False
        self.closed: bool = False
        self.close_emitted: bool = False
        self.errored: Optional[BaseException] = None
        self.error_emitted: bool = False
        self.emit_close: bool = opts.get('emit_close') is not False
        self.auto_destroy: bool = opts.get('auto_destroy') is not False
        self.constructed: bool = True
        self.deferred_destroy: Any = None
        enc = opts.get('default_encoding')
        if enc is None:
            self.default_encoding: str = 'utf8'
        else:
            from .encodings import check
            self.default_encoding = check(enc)


def high_water_mark(opts: Mapping[str, Any], duplex_key: str, is_duplex: bool,
                    object_mode: bool) -> int:
    """Node's ``getHighWaterMark``: ``high_water_mark`` wins over the side's own key."""
    hwm = opts.get('high_water_mark')
    name = 'options.highWaterMark'
    if hwm is None and is_duplex:
        hwm = opts.get(duplex_key)
        name = 'options.' + duplex_key
    if hwm is None:
        return DEFAULT_OBJECT_HIGH_WATER_MARK if object_mode else DEFAULT_HIGH_WATER_MARK
    if not is_integer(hwm) or hwm < 0:  # as Node: NaN and infinities included
        raise errors.ERR_INVALID_ARG_VALUE(name, hwm)
    return int(hwm)


def install_hooks(stream: Any, opts: Mapping[str, Any], names: Tuple[str, ...]) -> None:
    """Bind the hook options in ``names`` (``'write'`` -> ``stream._write``)."""
    for name in names:
        fn = opts.get(name)
        if fn is not None:
            if not callable(fn):
                raise errors.ERR_INVALID_ARG_TYPE('options.' + name, 'Function', fn)
            setattr(stream, '_' + name, types.MethodType(fn, stream))


@node_aliases
class Stream(EventEmitter):
    """Node's legacy ``Stream``: the common base of Readable and Writable."""

    _readable_state: Any = None
    _writable_state: Any = None
    _construct: Optional[Callable[..., Any]] = None

    def _destroy(self, err: Optional[BaseException], callback: Callable[..., Any]) -> None:
        """Release resources, then ``callback(err)`` (override or pass ``destroy=``)."""
        callback(err)

    def _write_after_end_error(self) -> BaseException:
        """The error of a ``write()`` after ``end()`` (a socket ended by its peer says EPIPE)."""
        return errors.ERR_STREAM_WRITE_AFTER_END()

    def _string_as_buffer_error(self) -> BaseException:
        """What ``write(str, 'buffer')`` raises: Node's ``Buffer.from(str, 'buffer')`` error.

        (A socket, whose strings Node hands to the handle undecoded, says
        what its handle's ``writeBuffer`` says.)
        """
        return errors.ERR_UNKNOWN_ENCODING('buffer')


# -- destroy ---------------------------------------------------------------------------
def _check_error(err: Optional[BaseException], w: Any, r: Any) -> None:
    if err is not None:
        if w is not None and w.errored is None:
            w.errored = err
        if r is not None and r.errored is None:
            r.errored = err


def destroy(stream: Any, err: Optional[BaseException] = None,
            cb: Optional[Callable[..., Any]] = None) -> Any:
    """Node's ``destroyImpl.destroy``: idempotent; 'error' then 'close' on later ticks."""
    r = stream._readable_state
    w = stream._writable_state
    if (w is not None and w.destroyed) or (r is not None and r.destroyed):
        if callable(cb):
            cb()
        return stream
    _check_error(err, w, r)
    if w is not None:
        w.destroyed = True
    if r is not None:
        r.destroyed = True
    s = w if w is not None else r
    if not s.constructed:
        s.deferred_destroy = (err, cb)
    else:
        _run_destroy(stream, err, cb)
    return stream


def undestroy(stream: Any) -> None:
    """Node's ``undestroy``: both sides fresh again, as a reconnecting socket needs.

    Only the life-cycle flags are reset; what the user set up -- listeners,
    flowing mode, encoding, buffered data -- carries over.
    """
    r = stream._readable_state
    w = stream._writable_state
    for state in (r, w):
        if state is not None:
            state.constructed = True
            state.destroyed = state.closed = state.close_emitted = False
            state.errored = None
            state.error_emitted = False
    if r is not None:
        r.reading = False
        r.ended = r.end_emitted = r.readable is False
    if w is not None:
        w.final_called = w.prefinished = False
        w.ended = w.ending = w.finished = w.writable is False


def _run_destroy(stream: Any, err: Optional[BaseException], cb: Optional[Callable[..., Any]]) -> None:
    called: List[bool] = []

    def on_destroy(err: Optional[BaseException] = None) -> None:
        if called:
            return
        called.append(True)
        r = stream._readable_state
        w = stream._writable_state
        _check_error(err, w, r)
        if w is not None:
            w.closed = True
        if r is not None:
            r.closed = True
        if callable(cb):
            cb(err)
        if err is not None:
            hooks.next_tick(_emit_error_close_nt, stream, err)
        else:
            hooks.next_tick(_emit_close_nt, stream)

    try:
        stream._destroy(err, on_destroy)
    except Exception as exc:  # noqa: BLE001 - Node routes a throwing _destroy to its callback
        on_destroy(exc)


def _emit_error_close_nt(stream: Any, err: BaseException) -> None:
    _emit_error_nt(stream, err)
    _emit_close_nt(stream)


def _emit_close_nt(stream: Any) -> None:
    r = stream._readable_state
    w = stream._writable_state
    if w is not None:
        w.close_emitted = True
    if r is not None:
        r.close_emitted = True
    if (w is not None and w.emit_close) or (r is not None and r.emit_close):
        stream.emit('close')


def _emit_error_nt(stream: Any, err: BaseException) -> None:
    r = stream._readable_state
    w = stream._writable_state
    if (w is not None and w.error_emitted) or (r is not None and r.error_emitted):
        return
    if w is not None:
        w.error_emitted = True
    if r is not None:
        r.error_emitted = True
    try:
        stream.emit('error', err)
    except Exception as exc:  # noqa: BLE001 - no 'error' listener: the uncaught-exception rule
        hooks.report(exc, stream)


def error_or_destroy(stream: Any, err: BaseException, sync: bool = False) -> None:
    """Destroy with ``err`` if auto-destroying, else record and emit it."""
    r = stream._readable_state
    w = stream._writable_state
    if (w is not None and w.destroyed) or (r is not None and r.destroyed):
        return
    if (r is not None and r.auto_destroy) or (w is not None and w.auto_destroy):
        stream.destroy(err)
    elif err is not None:
        if w is not None and w.errored is None:
            w.errored = err
        if r is not None and r.errored is None:
            r.errored = err
        if sync:
            hooks.next_tick(_emit_error_nt, stream, err)
        else:
            _emit_error_nt(stream, err)


# -- construct -------------------------------------------------------------------------
def construct(stream: Any, on_constructed: Callable[[], None]) -> None:
    """Run ``stream._construct(callback)`` on the next tick; hold writes/reads until it calls back."""
    r = stream._readable_state
    w = stream._writable_state
    if r is not None:
        r.constructed = False
    if w is not None:
        w.constructed = False
    hooks.next_tick(_construct_nt, stream, on_constructed)


def _construct_nt(stream: Any, on_constructed: Callable[[], None]) -> None:
    called: List[bool] = []

    def on_construct(err: Optional[BaseException] = None) -> None:
        if called:
            error_or_destroy(stream, err if err is not None else errors.ERR_MULTIPLE_CALLBACK())
            return
        called.append(True)
        r = stream._readable_state
        w = stream._writable_state
        s = w if w is not None else r
        if r is not None:
            r.constructed = True
        if w is not None:
            w.constructed = True
        if s.destroyed:
            deferred = s.deferred_destroy
            s.deferred_destroy = None
            derr, dcb = deferred if deferred is not None else (None, None)
            _run_destroy(stream, err if err is not None else derr, dcb)
        elif err is not None:
            error_or_destroy(stream, err, True)
        else:
            on_constructed()

    def later(err: Optional[BaseException] = None) -> None:
        hooks.next_tick(on_construct, err)

    try:
        stream._construct(later)
    except Exception as exc:  # noqa: BLE001 - a throwing _construct errors the stream
        hooks.next_tick(on_construct, exc)


# -- predicates (Node's internal/streams/utils) -----------------------------------------
def is_readable_node_stream(obj: Any) -> bool:
    r = getattr(obj, '_readable_state', None)
    w = getattr(obj, '_writable_state', None)
    if not callable(getattr(obj, 'pipe', None)) or not callable(getattr(obj, 'on', None)):
        return False
    if w is not None:
        return r is not None and r.readable is not False
    return True


def is_writable_node_stream(obj: Any) -> bool:
    if not callable(getattr(obj, 'write', None)) or not callable(getattr(obj, 'on', None)):
        return False
    r = getattr(obj, '_readable_state', None)
    w = getattr(obj, '_writable_state', None)
    return r is None or (w is not None and w.writable is not False)


def is_node_stream(obj: Any) -> bool:
    return (getattr(obj, '_readable_state', None) is not None
            or getattr(obj, '_writable_state', None) is not None
            or (callable(getattr(obj, 'on', None))
                and (callable(getattr(obj, 'write', None)) or callable(getattr(obj, 'pipe', None)))))


def is_destroyed(stream: Any) -> bool:
    w = getattr(stream, '_writable_state', None)
    r = getattr(stream, '_readable_state', None)
    s = w if w is not None else r
    return bool(getattr(stream, 'destroyed', False) or (s is not None and s.destroyed))


def is_writable_ended(stream: Any) -> Optional[bool]:
    if not is_writable_node_stream(stream):
        return None
    if getattr(stream, 'writable_ended', None) is True:
        return True
    w = getattr(stream, '_writable_state', None)
    if w is None:
        return None
    if w.errored is not None:
        return False
    return w.ended  # type: ignore[no-any-return]


def is_writable_finished(stream: Any, strict: bool = True) -> Optional[bool]:
    if not is_writable_node_stream(stream):
        return None
    if getattr(stream, 'writable_finished', None) is True:
        return True
    w = getattr(stream, '_writable_state', None)
    if w is None:
        return None
    if w.errored is not None:
        return False
    return bool(w.finished or (not strict and w.ended and w.length == 0))


def is_readable_finished(stream: Any, strict: bool = True) -> Optional[bool]:
    if not is_readable_node_stream(stream):
        return None
    r = getattr(stream, '_readable_state', None)
    if r is None:
        return None
    if r.errored is not None:
        return False
    return bool(r.end_emitted or (not strict and r.ended and r.length == 0))


def is_readable(stream: Any) -> Optional[bool]:
    value = getattr(stream, 'readable', None)
    if not isinstance(value, bool):
        return None
    if is_destroyed(stream):
        return False
    return is_readable_node_stream(stream) and value and not is_readable_finished(stream)


def is_writable(stream: Any) -> Optional[bool]:
    value = getattr(stream, 'writable', None)
    if not isinstance(value, bool):
        return None
    if is_destroyed(stream):
        return False
    return is_writable_node_stream(stream) and value and not is_writable_ended(stream)


def is_finished(stream: Any) -> bool:
    if is_destroyed(stream):
        return True
    return not (is_readable(stream) or is_writable(stream))


def stream_errored(stream: Any) -> Optional[BaseException]:
    w = getattr(stream, '_writable_state', None)
    r = getattr(stream, '_readable_state', None)
    return (w.errored if w is not None else None) or (r.errored if r is not None else None)


def is_closed(stream: Any) -> bool:
    value = getattr(stream, 'closed', None)
    if isinstance(value, bool):
        return value
    w = getattr(stream, '_writable_state', None)
    r = getattr(stream, '_readable_state', None)
    return bool((w is not None and w.closed) or (r is not None and r.closed))


def will_emit_close(stream: Any) -> bool:
    w = getattr(stream, '_writable_state', None)
    r = getattr(stream, '_readable_state', None)
    s = w if w is not None else r
    return bool(s is not None and s.auto_destroy and s.emit_close and not s.closed)
