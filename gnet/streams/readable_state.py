"""The read side's state machine: ``ReadableState`` and Node's functions over it.

Owns: buffering pushed chunks (``addChunk``), ``'readable'`` and
``'data'`` scheduling (``emitReadable_``, ``maybeReadMore_``,
``flow``), end-of-stream (``endReadableNT``) -- Node 20's
``lib/internal/streams/readable.js``, whose names these follow.
:class:`gnet.streams.readable.Readable` is the public face over it.
Must not import: gevent, greenlet, socket, the runtime (schedules only
through ``hooks.next_tick``), the Readable class.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional

from .. import errors
from ..naming import node_aliases
from . import hooks
from .base import CommonState, error_or_destroy
from .chunks import CHUNK_TYPES, normalize_pushed
from .encodings import Decoder

__all__ = ['ReadableState']


_MAX_HWM = 0x40000000


@node_aliases
class ReadableState(CommonState):
    """The read side's state; one flag per slot (Node's kState bits)."""

    __slots__ = (
        'buffer',           # list of chunks (bytes, str after set_encoding, objects)
        'length',           # bytes (chars, objects) buffered
        'pipes',            # destinations of pipe()
        'flowing',          # None (no mechanism yet), True or False
        'paused',           # None (never paused/resumed), True after pause(), False after resume()
        'ended',            # push(None) was called
        'end_emitted',      # 'end' was emitted
        'reading',          # _read was called and has not pushed yet
        'sync',             # inside _read right now (True until the first read())
        'need_readable',    # emit 'readable' when data arrives
        'emitted_readable',  # a 'readable' is scheduled or was emitted
        'readable_listening',  # there are 'readable' listeners
        'data_listening',   # there are 'data' listeners
        'resume_scheduled',  # a resume_ tick is pending
        'multi_await_drain',  # await_drain_writers is a set (several pipes)
        'await_drain_writers',  # the pipe destination(s) whose 'drain' we wait for
        'reading_more',     # a maybe_read_more tick is pending
        'data_emitted',     # 'data' was emitted at least once
        'decoder',          # the Decoder after set_encoding, or None
        'encoding',         # its canonical name, or None
        'readable',         # None, or False for a Duplex built with readable=False
        'auto_read',        # the source pushes unasked (a socket): no read-more tick per chunk
        'end_scheduled',    # an end_readable_nt tick is pending
    )

    def __init__(self, opts: Mapping[str, Any], is_duplex: bool = False):
        if is_duplex and opts.get('readable_object_mode'):
            opts = dict(opts, object_mode=True)
        CommonState.__init__(self, opts, 'readable_high_water_mark', is_duplex)
        self.buffer: List[Any] = []  # short (a few chunks): a list is lighter than a deque
        self.length: int = 0
        self.pipes: List[Any] = []
        self.flowing: Optional[bool] = None
        self.paused: Optional[bool] = None
        self.ended: bool = False
        self.end_emitted: bool = False
        self.reading: bool = False
        self.sync: bool = True
        self.need_readable: bool = False
        self.emitted_readable: bool = False
        self.readable_listening: bool = False
        self.data_listening: bool = False
        self.resume_scheduled: bool = False
        self.multi_await_drain: bool = False
        self.await_drain_writers: Any = None
        self.reading_more: bool = False
        self.data_emitted: bool = False
        self.decoder: Optional[Decoder] = None
        self.encoding: Optional[str] = None
        self.readable: Optional[bool] = None
        self.auto_read: bool = False
        self.end_scheduled: bool = False
        enc = opts.get('encoding')
        if enc:
            self.decoder = Decoder(enc)
            self.encoding = self.decoder.encoding

    def on_constructed(self, stream: Any) -> None:
        if self.need_readable:
            maybe_read_more(stream, self)

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    onConstructed = on_constructed


def _can_push_more(state: ReadableState) -> bool:
    return not state.ended and (state.length < state.high_water_mark or state.length == 0)


def emit_data_now(stream: Any, state: ReadableState, chunk: Any) -> None:
    """Node's addChunk fast case: flowing with an empty buffer, deliver at once."""
    if state.multi_await_drain:
        state.await_drain_writers.clear()
    else:
        state.await_drain_writers = None
    state.data_emitted = True
    stream.emit('data', chunk)


def add_chunk(stream: Any, state: ReadableState, chunk: Any, add_to_front: bool) -> None:
    if state.flowing and state.data_listening and not state.sync and state.length == 0:
        emit_data_now(stream, state, chunk)
    else:
        state.length += 1 if state.object_mode else len(chunk)
        if add_to_front:
            state.buffer.insert(0, chunk)
        else:
            state.buffer.append(chunk)
        if state.need_readable:
            emit_readable(stream)
    if not state.reading_more and state.constructed:
        state.reading_more = True
        hooks.next_tick(maybe_read_more_, stream, state)


def _push_slow(stream: Any, state: ReadableState, chunk: Any, encoding: Any) -> bool:
    if chunk is None:
        state.reading = False
        on_eof_chunk(stream, state)
        return False
    if not state.object_mode:
        try:
            chunk, encoding = normalize_pushed(chunk, encoding, state.default_encoding, state.encoding)
        except errors.NodeError as err:
            error_or_destroy(stream, err)
            return False
        if not chunk:
            state.reading = False
            maybe_read_more(stream, state)
            return _can_push_more(state)
    if state.ended:
        error_or_destroy(stream, errors.ERR_STREAM_PUSH_AFTER_EOF())
        return False
    if state.destroyed or state.errored is not None:
        return False
    state.reading = False
    if state.decoder is not None and not encoding and isinstance(chunk, CHUNK_TYPES):
        chunk = state.decoder.write(chunk)
        if not chunk and not state.object_mode:
            maybe_read_more(stream, state)
            return _can_push_more(state)
    add_chunk(stream, state, chunk, False)
    return _can_push_more(state)


def _unshift(stream: Any, state: ReadableState, chunk: Any, encoding: Any) -> bool:
    if chunk is None:
        state.reading = False
        on_eof_chunk(stream, state)
        return False
    if not state.object_mode:
        try:
            chunk, encoding = normalize_pushed(chunk, encoding, state.default_encoding,
                                               state.encoding, unshift=True)
        except errors.NodeError as err:
            error_or_destroy(stream, err)
            return False
        if not chunk:
            return _can_push_more(state)
    if state.end_emitted:
        error_or_destroy(stream, errors.ERR_STREAM_UNSHIFT_AFTER_END_EVENT())
    elif state.destroyed or state.errored is not None:
        return False
    else:
        add_chunk(stream, state, chunk, True)
    return _can_push_more(state)


def on_eof_chunk(stream: Any, state: ReadableState) -> None:
    if state.ended:
        return
    if state.decoder is not None:
        chunk = state.decoder.end()
        if chunk:
            state.buffer.append(chunk)
            state.length += 1 if state.object_mode else len(chunk)
    state.ended = True
    if state.sync:
        emit_readable(stream)
    else:
        state.need_readable = False
        state.emitted_readable = True
        emit_readable_(stream)


def emit_readable(stream: Any) -> None:
    state = stream._readable_state
    state.need_readable = False
    if not state.emitted_readable:
        state.emitted_readable = True
        hooks.next_tick(emit_readable_, stream)


def emit_readable_(stream: Any) -> None:
    state = stream._readable_state
    if not state.destroyed and state.errored is None and (state.length or state.ended):
        stream.emit('readable')
        state.emitted_readable = False
    if not state.flowing and not state.ended and state.length <= state.high_water_mark:
        state.need_readable = True
    flow(stream)


def maybe_read_more(stream: Any, state: ReadableState) -> None:
    if not state.reading_more and state.constructed:
        state.reading_more = True
        hooks.next_tick(maybe_read_more_, stream, state)


def maybe_read_more_(stream: Any, state: ReadableState) -> None:
    while (not state.reading and not state.ended
           and (state.length < state.high_water_mark or (state.flowing and state.length == 0))):
        before = state.length
        stream.read(0)
        if before == state.length:
            break
    state.reading_more = False


def flow(stream: Any) -> None:
    state = stream._readable_state
    read = stream.read
    while state.flowing and read() is not None:
        pass


def end_readable(stream: Any) -> None:
    state = stream._readable_state
    if not state.end_emitted:
        state.ended = True
        if not state.end_scheduled:  # one pending end_readable_nt is enough
            state.end_scheduled = True
            hooks.next_tick(end_readable_nt, state, stream)


def end_readable_nt(state: ReadableState, stream: Any) -> None:
    state.end_scheduled = False
    if state.errored is None and not state.close_emitted and not state.end_emitted and state.length == 0:
        state.end_emitted = True
        stream.emit('end')
        if getattr(stream, 'writable', False) and getattr(stream, 'allow_half_open', True) is False:
            hooks.next_tick(_end_writable_nt, stream)
        elif state.auto_destroy:
            wstate = stream._writable_state
            if wstate is None or (wstate.auto_destroy and (wstate.finished or wstate.writable is False)):
                stream.destroy()


def _end_writable_nt(stream: Any) -> None:
    if stream.writable and not stream.writable_ended and not stream.destroyed:
        stream.end()


def _resume_(stream: Any, state: ReadableState) -> None:
    if not state.reading:
        stream.read(0)
    state.resume_scheduled = False
    stream.emit('resume')
    flow(stream)
    if state.flowing and not state.reading:
        stream.read(0)


def _update_readable_listening(stream: Any) -> None:
    state = stream._readable_state
    state.readable_listening = stream.listener_count('readable') > 0
    if state.resume_scheduled and state.paused is False:
        state.flowing = True  # a resume() is pending: it wins
    elif state.data_listening:
        stream.resume()
    elif not state.readable_listening:
        state.flowing = None
