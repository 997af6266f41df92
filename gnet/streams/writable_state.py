"""The write side's state machine: ``WritableState`` and Node's functions over it.

Owns: the queue with one ``_write`` in flight, ``_writev`` batching,
``onwrite``/``afterWrite``, ``'drain'`` (W3), ``end`` and
``_final`` before ``'finish'``, the Writable half of ``destroy``
(Node 20's ``lib/internal/streams/writable.js``; the names follow it).
:class:`gnet.streams.writable.Writable` is the public face over it.
Must not import: gevent, greenlet, socket, the runtime (schedules only
through ``hooks.next_tick``), the Writable class.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, List, Mapping, Optional, Tuple

from .. import errors
from ..naming import node_aliases
from . import hooks
from .base import CommonState, destroy as _destroy_impl, error_or_destroy
from .chunks import normalize_written

__all__ = ['WritableState', 'writable_destroy']


Callback = Optional[Callable[..., Any]]


@node_aliases
class WritableState(CommonState):
    """The write side's state; one flag per slot (Node's kState bits)."""

    __slots__ = (
        'final_called',     # _final was called (or there is none)
        'need_drain',       # write() returned False: 'drain' is owed
        'ending',           # end() has started
        'ended',            # end() has returned
        'finished',         # 'finish' was emitted
        'decode_strings',   # str -> bytes before _write
        'writing',          # a _write/_writev is in flight
        'sync',             # inside _write/_final right now
        'buffer_processing',  # clear_buffer is running
        'prefinished',      # 'prefinish' was emitted
        'writable',         # None, or False for a Duplex built with writable=False
        'length',           # bytes (objects) queued or in flight
        'corked',           # cork() depth
        'writelen',         # size of the write in flight
        'writecb',          # user callback of the write in flight, or None
        'expect_write_cb',  # the in-flight write has not called back yet
        'buffered',         # list of (chunk, encoding, callback) waiting
        'buffered_index',   # first live entry of buffered
        'all_buffers',      # every buffered chunk is bytes
        'all_noop',         # no buffered write has a callback
        'pendingcb',        # user callbacks (+ final/finish) still owed
        'after_write_info',  # [count, cb] of the coalesced after-write tick
        'after_write_pending',  # an after-write tick is scheduled
        'on_finished',      # end() callbacks waiting for 'finish'
        'onwrite',          # the bound callback handed to _write
    )

    def __init__(self, opts: Mapping[str, Any], stream: Any, is_duplex: bool = False):
        if is_duplex and opts.get('writable_object_mode'):
            opts = dict(opts, object_mode=True)
        CommonState.__init__(self, opts, 'writable_high_water_mark', is_duplex)
        self.final_called: bool = False
        self.need_drain: bool = False
        self.ending: bool = False
        self.ended: bool = False
        self.finished: bool = False
        self.decode_strings: bool = opts.get('decode_strings') is not False
        self.writing: bool = False
        self.sync: bool = True
        self.buffer_processing: bool = False
        self.prefinished: bool = False
        self.writable: Optional[bool] = None
        self.length: int = 0
        self.corked: int = 0
        self.writelen: int = 0
        self.writecb: Callback = None
        self.expect_write_cb: bool = False
        self.buffered: List[Tuple[Any, str, Callback]] = []
        self.buffered_index: int = 0
        self.all_buffers: bool = True
        self.all_noop: bool = True
        self.pendingcb: int = 0
        self.after_write_info: Optional[List[Any]] = None
        self.after_write_pending: bool = False
        self.on_finished: Optional[List[Callable[..., Any]]] = None
        self.onwrite: Callable[..., None] = partial(onwrite, stream)  # bound once: no per-write closure

    def get_buffer(self) -> List[Tuple[Any, str, Callback]]:
        return self.buffered[self.buffered_index:]

    def on_constructed(self, stream: Any) -> None:
        if not self.writing:
            clear_buffer(stream, self)
        if self.ending:
            finish_maybe(stream, self)

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    getBuffer = get_buffer
    onConstructed = on_constructed


# -- write ---------------------------------------------------------------------------------
def _write(stream: Any, state: WritableState, chunk: Any, encoding: Any, cb: Callback) -> Any:
    """Node's ``_write``: validate, then queue or start; returns the W2 bool or an error."""
    if state.object_mode:
        if chunk is None:
            raise errors.ERR_STREAM_NULL_VALUES()
    elif chunk.__class__ is bytes and encoding is None:
        encoding = 'buffer'  # the hot path
    else:
        if encoding == 'buffer' and state.decode_strings and isinstance(chunk, str):
            raise stream._string_as_buffer_error()
        chunk, encoding = normalize_written(chunk, encoding, state.default_encoding,
                                            state.decode_strings)
    if state.ending or state.destroyed:
        err = stream._write_after_end_error() if state.ending else errors.ERR_STREAM_DESTROYED('write')
        if cb is not None:
            hooks.next_tick(cb, err)
        error_or_destroy(stream, err, True)
        return err
    state.pendingcb += 1
    # Node's writeOrBuffer, inlined: queue behind a write in flight, or start one
    length = 1 if state.object_mode else len(chunk)
    state.length += length
    if state.writing or state.corked or state.errored is not None or not state.constructed:
        if chunk.__class__ is not bytes and not state.object_mode and encoding == 'buffer':
            chunk = bytes(chunk)  # the caller may reuse a mutable buffer
        state.buffered.append((chunk, encoding, cb))
        if encoding != 'buffer':
            state.all_buffers = False
        if cb is not None:
            state.all_noop = False
    else:
        state.writelen = length
        state.writecb = cb
        state.writing = state.sync = state.expect_write_cb = True
        stream._write(chunk, encoding, state.onwrite)
        state.sync = False
    if state.length < state.high_water_mark or state.length == 0:
        return not state.destroyed and state.errored is None
    state.need_drain = True
    return False


def do_write(stream: Any, state: WritableState, writev: bool, length: int, chunk: Any,
             encoding: str, cb: Callback) -> None:
    state.writelen = length
    state.writecb = cb
    state.writing = state.sync = state.expect_write_cb = True
    if state.destroyed:
        state.onwrite(errors.ERR_STREAM_DESTROYED('write'))
    elif writev:
        stream._writev(chunk, state.onwrite)
    else:
        stream._write(chunk, encoding, state.onwrite)
    state.sync = False


def _onwrite_error(stream: Any, state: WritableState, er: BaseException, cb: Callback) -> None:
    state.pendingcb -= 1
    if cb is not None:
        cb(er)
    error_buffer(state)  # callbacks first, then 'error'
    error_or_destroy(stream, er)


def onwrite(stream: Any, er: Optional[BaseException] = None) -> None:
    """The callback ``_write`` receives (one per stream, bound once)."""
    state = stream._writable_state
    if not state.expect_write_cb:
        error_or_destroy(stream, errors.ERR_MULTIPLE_CALLBACK())
        return
    sync = state.sync
    cb = state.writecb
    state.writecb = None
    state.writing = state.expect_write_cb = False
    state.length -= state.writelen
    state.writelen = 0
    if er is not None:
        if state.errored is None:
            state.errored = er
        rstate = stream._readable_state
        if rstate is not None and rstate.errored is None:
            rstate.errored = er
        if sync:
            hooks.next_tick(_onwrite_error, stream, state, er, cb)
        else:
            _onwrite_error(stream, state, er, cb)
        return
    if state.buffered:
        clear_buffer(stream, state)
    if not sync:
        after_write(stream, state, 1, cb)
        return
    need_tick = (state.need_drain and state.length == 0) or state.destroyed or cb is not None
    if cb is None:
        if need_tick and not state.after_write_pending:
            state.after_write_pending = True
            hooks.next_tick(after_write, stream, state, 1, None)
        else:
            state.pendingcb -= 1
            if state.ending:
                finish_maybe(stream, state, True)
    else:
        info = state.after_write_info
        if info is not None and info[1] is cb:
            info[0] += 1
        else:
            info = state.after_write_info = [1, cb]
            state.after_write_pending = True
            hooks.next_tick(_after_write_tick, stream, state, info)


def _after_write_tick(stream: Any, state: WritableState, info: List[Any]) -> None:
    if state.after_write_info is info:
        state.after_write_info = None
    after_write(stream, state, info[0], info[1])


def after_write(stream: Any, state: WritableState, count: int, cb: Callback) -> None:
    state.after_write_pending = False
    if state.need_drain and state.length == 0 and not state.ending and not state.destroyed:
        state.need_drain = False
        stream.emit('drain')
    while count > 0:
        count -= 1
        state.pendingcb -= 1
        if cb is not None:
            cb(None)
    if state.destroyed:
        error_buffer(state)
    if state.ending:
        finish_maybe(stream, state, True)


def error_buffer(state: WritableState) -> None:
    """Fail every queued write (and end() callback) with the stream's error."""
    if state.writing:
        return
    buffered = state.buffered
    if buffered:
        for index in range(state.buffered_index, len(buffered)):
            chunk, _enc, callback = buffered[index]
            state.length -= 1 if state.object_mode else len(chunk)
            if callback is not None:
                callback(state.errored or errors.ERR_STREAM_DESTROYED('write'))
    call_finished_callbacks(state, state.errored or errors.ERR_STREAM_DESTROYED('end'))
    _reset_buffer(state)


def _reset_buffer(state: WritableState) -> None:
    state.buffered = []
    state.buffered_index = 0
    state.all_buffers = True
    state.all_noop = True


def clear_buffer(stream: Any, state: WritableState) -> None:
    """Start the next queued write, or all of them through ``_writev``."""
    if state.destroyed or state.buffer_processing or state.corked or not state.constructed:
        return
    buffered = state.buffered
    i = state.buffered_index
    count = len(buffered) - i
    if not count:
        return
    state.buffer_processing = True
    if count > 1 and stream._writev is not None:
        state.pendingcb -= count - 1
        entries = buffered[i:] if i else buffered
        callback: Callback = None
        if not state.all_noop:
            callbacks = [entry[2] for entry in entries]

            def callback(err: Optional[BaseException] = None) -> None:
                for each in callbacks:
                    if each is not None:
                        each(err)
        chunks = [(entry[0], entry[1]) for entry in entries]
        _reset_buffer(state)
        do_write(stream, state, True, state.length, chunks, '', callback)
    else:
        object_mode = state.object_mode
        while True:
            chunk, encoding, callback = buffered[i]
            buffered[i] = None  # type: ignore[call-overload]
            i += 1
            do_write(stream, state, False, 1 if object_mode else len(chunk), chunk, encoding, callback)
            if i >= len(buffered) or state.writing or state.buffered is not buffered:
                break
        if state.buffered is buffered:  # not reset meanwhile (error_buffer)
            if i >= len(buffered):
                _reset_buffer(state)
            elif i > 256:
                del buffered[:i]
                state.buffered_index = 0
            else:
                state.buffered_index = i
    state.buffer_processing = False


# -- end / finish ----------------------------------------------------------------------------
def need_finish(state: WritableState) -> bool:
    return (state.ending and state.constructed and state.length == 0 and not state.destroyed
            and not state.finished and not state.writing and not state.error_emitted
            and not state.close_emitted and state.errored is None
            and len(state.buffered) == state.buffered_index)


def _on_final(stream: Any, state: WritableState, err: Optional[BaseException] = None) -> None:
    if state.prefinished:
        error_or_destroy(stream, err if err is not None else errors.ERR_MULTIPLE_CALLBACK())
        return
    state.pendingcb -= 1
    if err is not None:
        call_finished_callbacks(state, err)
        error_or_destroy(stream, err, state.sync)
    elif need_finish(state):
        state.prefinished = True
        stream.emit('prefinish')
        state.pendingcb += 1
        hooks.next_tick(finish, stream, state)


def prefinish(stream: Any, state: WritableState) -> None:
    if state.prefinished or state.final_called:
        return
    final = stream._final
    if final is not None and not state.destroyed:
        state.final_called = state.sync = True
        state.pendingcb += 1

        def on_final(err: Optional[BaseException] = None) -> None:
            _on_final(stream, state, err)

        try:
            final(on_final)
        except Exception as exc:  # noqa: BLE001 - Node routes a throwing _final to its callback
            _on_final(stream, state, exc)
        state.sync = False
    else:
        state.final_called = state.prefinished = True
        stream.emit('prefinish')


def finish_maybe(stream: Any, state: WritableState, sync: bool = False) -> None:
    if need_finish(state):
        prefinish(stream, state)
        if state.pendingcb == 0:
            state.pendingcb += 1
            if sync:
                hooks.next_tick(_finish_if_needed, stream, state)
            elif need_finish(state):
                finish(stream, state)
            else:
                state.pendingcb -= 1


def _finish_if_needed(stream: Any, state: WritableState) -> None:
    if need_finish(state):
        finish(stream, state)
    else:
        state.pendingcb -= 1


def finish(stream: Any, state: WritableState) -> None:
    state.pendingcb -= 1
    state.finished = True
    call_finished_callbacks(state, None)
    stream.emit('finish')
    if state.auto_destroy:
        rstate = stream._readable_state
        if rstate is None or (rstate.auto_destroy and (rstate.end_emitted or rstate.readable is False)):
            stream.destroy()


def call_finished_callbacks(state: WritableState, err: Optional[BaseException]) -> None:
    callbacks = state.on_finished
    if callbacks:
        state.on_finished = None
        for callback in callbacks:
            callback(err)


def end(stream: Any, chunk: Any = None, encoding: Any = None, cb: Callback = None) -> Any:
    state = stream._writable_state
    if callable(chunk) and not isinstance(chunk, (bytes, bytearray, memoryview, str)):
        cb, chunk, encoding = chunk, None, None
    elif callable(encoding):
        cb, encoding = encoding, None
    err = None
    if chunk is not None:
        ret = _write(stream, state, chunk, encoding, None)
        if isinstance(ret, BaseException):
            err = ret
    if state.corked:  # end() fully uncorks
        state.corked = 1
        stream.uncork()
    if err is not None:
        pass
    elif not state.ending and state.errored is None:
        was_destroyed = state.destroyed
        state.ending = True
        finish_maybe(stream, state, True)
        state.ended = True
        if was_destroyed:  # documented by node; node 20 never calls this callback
            err = errors.ERR_STREAM_DESTROYED('end')
    elif state.finished:
        err = errors.ERR_STREAM_ALREADY_FINISHED('end')
    elif state.destroyed:
        err = errors.ERR_STREAM_DESTROYED('end')
    if callable(cb):
        if err is not None:
            hooks.next_tick(cb, err)
        elif state.errored is not None:
            hooks.next_tick(cb, state.errored)
        elif state.finished:
            hooks.next_tick(cb, None)
        else:
            if state.on_finished is None:
                state.on_finished = []
            state.on_finished.append(cb)
    return stream


def writable_destroy(stream: Any, err: Optional[BaseException] = None, cb: Callback = None) -> Any:
    """Writable.destroy: fail queued writes on the next tick, then destroyImpl."""
    state = stream._writable_state
    if (state.buffered or state.on_finished) and not state.destroyed:
        hooks.next_tick(error_buffer, state)
    _destroy_impl(stream, err, cb)
    return stream
