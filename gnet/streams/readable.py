"""Node's ``stream.Readable``: the read-side state machine, sans-IO.

Owns: :class:`Readable`, the public face of the state machine in
:mod:`gnet.streams.readable_state` -- ``push``/``unshift``,
the buffer and its high-water mark, the tri-state ``readable_flowing``,
``'data'``/``'readable'``/``'end'``/``'pause'``/``'resume'``, ``read(size)``,
``_read`` scheduling (Node's ``reading``, ``sync`` and ``readingMore``
flags), incremental decoding after ``set_encoding`` (R3) and the Readable
half of ``destroy``.  ``pipe``/``unpipe`` live in :mod:`gnet.streams.pipe`;
blocking iteration (``for chunk in stream``) is :mod:`gnet.runtime.sync`'s,
reached through ``hooks.iterate``.
Must not import: gevent, greenlet, socket.  Schedules only through
``hooks.next_tick``.

Reference: Node 20 ``lib/internal/streams/readable.js``; the function names
below follow it (``addChunk``, ``emitReadable_``, ``maybeReadMore_``,
``flow``, ``endReadableNT``, ``fromList``).

Hot path: ``push(bytes)`` while flowing, with a ``'data'`` listener, an empty
buffer and outside ``_read`` emits ``'data'`` at once (Node's ``addChunk``);
inside ``_read`` (``sync``) the chunk is buffered and delivered by ``flow``,
exactly as Node does.

Differences from Node, on purpose: every way of adding a listener
(``on``, ``once``, ``prepend_listener``...) counts for the ``'data'`` and
``'readable'`` mode rules (Node's ``prependListener`` bypasses them); pushed
``bytearray``/``memoryview`` chunks are copied to ``bytes``; the default
high-water mark is 64 KiB (Node 22's, not Node 20's 16 KiB).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, List, Mapping, Optional, TypeVar, cast

from zope.interface import implementer

from .. import errors
from ..interfaces import IReadable
from ..naming import node_aliases, options as _options
from ..validators import js_parse_int
from . import hooks
from .base import Stream, construct, destroy as _destroy_impl, error_or_destroy, install_hooks
from .chunks import from_list, how_much_to_read
from .encodings import Decoder
from .pipe import pipe as _pipe, unpipe as _unpipe
from .readable_state import (
    _MAX_HWM,
    ReadableState,
    _push_slow,
    _resume_,
    _unshift,
    _update_readable_listening,
    add_chunk,
    emit_data_now,
    emit_readable,
    end_readable,
    maybe_read_more_,
)

__all__ = ['Readable', 'ReadableState']

_R = TypeVar('_R', bound='Readable')


@node_aliases
@implementer(IReadable)
class Readable(Stream):
    """Node's ``stream.Readable``.  Subclasses implement ``_read(size)`` and ``push``."""

    def __init__(self, options: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> None:
        opts = _options(options, **kwargs)
        Stream.__init__(self)
        self._readable_state = ReadableState(opts, False)
        install_hooks(self, opts, ('read', 'destroy', 'construct'))
        if self._construct is not None:
            construct(self, lambda: self._readable_state.on_constructed(self))

    def _read(self, size: int) -> None:
        """Start producing; call ``push`` (now or later).  Called again only after a push."""
        raise errors.ERR_METHOD_NOT_IMPLEMENTED('_read()')

    # -- producing -------------------------------------------------------------------------
    def push(self, chunk: Any, encoding: Optional[str] = None) -> bool:
        """Add ``chunk`` (None = EOF); False once the buffer is at its high-water mark."""
        state = self._readable_state
        if chunk.__class__ is not bytes or state.decoder is not None or state.object_mode or not chunk:
            return _push_slow(self, state, chunk, encoding)
        if state.ended:
            error_or_destroy(self, errors.ERR_STREAM_PUSH_AFTER_EOF())
            return False
        if state.destroyed or state.errored is not None:
            return False
        state.reading = False
        if state.flowing and state.data_listening and not state.sync and state.length == 0:
            emit_data_now(self, state, chunk)
            if not state.reading_more and state.constructed and not state.auto_read:
                state.reading_more = True
                hooks.next_tick(maybe_read_more_, self, state)
        else:
            add_chunk(self, state, chunk, False)
        return not state.ended and (state.length < state.high_water_mark or state.length == 0)

    def unshift(self, chunk: Any, encoding: Optional[str] = None) -> bool:
        """Put ``chunk`` back at the front of the buffer."""
        return _unshift(self, self._readable_state, chunk, encoding)

    # -- consuming -------------------------------------------------------------------------
    def read(self, size: Optional[int] = None) -> Any:
        """Take ``size`` bytes (all when None) from the buffer, or None; may call ``_read``.

        A ``size`` that is not an int is read as Node does (``parseInt``):
        ``1.9`` is 1, NaN or a non-number is everything, as None.
        """
        state = self._readable_state
        if state.length == 0 and (size is None or size == 0):
            # the general path below, reduced to its outcome for an empty buffer
            # when no _read() is due (flow() and read(0) hit this all the time)
            if state.ended:
                if size is None:
                    state.emitted_readable = False
                end_readable(self)
                return None
            if (state.reading or state.destroyed or state.errored is not None
                    or not state.constructed):
                if size is None:
                    state.emitted_readable = False
                state.need_readable = True
                return None
        n = size if type(size) is int else js_parse_int(size)
        n_orig = n
        if n is not None and n > state.high_water_mark:
            if n > _MAX_HWM:
                raise errors.ERR_OUT_OF_RANGE('size', '<= 1GiB', n)
            state.high_water_mark = 1 << (n - 1).bit_length()
        if n != 0:
            state.emitted_readable = False
        if (n == 0 and state.need_readable
                and ((state.length >= state.high_water_mark if state.high_water_mark
                      else state.length > 0) or state.ended)):
            if state.length == 0 and state.ended:
                end_readable(self)
            else:
                emit_readable(self)
            return None
        n = how_much_to_read(n, state)
        if n == 0 and state.ended:
            if state.length == 0:
                end_readable(self)
            return None
        do_read = state.need_readable
        if state.length == 0 or state.length - n < state.high_water_mark:
            do_read = True
        if (state.reading or state.ended or state.destroyed or state.errored is not None
                or not state.constructed):
            do_read = False
        elif do_read:
            state.reading = state.sync = True
            if state.length == 0:
                state.need_readable = True
            try:
                self._read(state.high_water_mark)
            except Exception as exc:  # noqa: BLE001 - Node: errorOrDestroy
                error_or_destroy(self, exc)
            state.sync = False
            if not state.reading:
                n = how_much_to_read(n_orig, state)
        ret = from_list(n, state) if n > 0 else None
        if ret is None:
            if state.length <= state.high_water_mark:
                state.need_readable = True
            n = 0
        else:
            state.length -= n
            if state.multi_await_drain:
                state.await_drain_writers.clear()
            else:
                state.await_drain_writers = None
        if state.length == 0:
            if not state.ended:
                state.need_readable = True
            if (n_orig is None or n_orig != n) and state.ended:
                end_readable(self)
        if ret is not None and not state.error_emitted and not state.close_emitted:
            state.data_emitted = True
            self.emit('data', ret)
        return ret

    def pause(self) -> 'Readable':
        state = self._readable_state
        if state.flowing is not False:
            state.flowing = False
            self.emit('pause')
        state.paused = True
        return self

    def resume(self) -> 'Readable':
        state = self._readable_state
        if not state.flowing:
            state.flowing = not state.readable_listening
            if not state.resume_scheduled:
                state.resume_scheduled = True
                hooks.next_tick(_resume_, self, state)
        state.paused = False
        return self

    def is_paused(self) -> bool:
        state = self._readable_state
        return state.paused is True or state.flowing is False

    def set_encoding(self, encoding: Optional[str] = None) -> 'Readable':
        """R3: deliver ``str``, decoding incrementally (also what is already buffered)."""
        state = self._readable_state
        decoder = Decoder(encoding)
        state.decoder = decoder
        state.encoding = decoder.encoding
        content = ''.join(data if isinstance(data, str) else decoder.write(data)
                          for data in state.buffer)
        state.buffer.clear()
        if content:
            state.buffer.append(content)
        state.length = len(content)
        return self

    def pipe(self, destination: Any, end: Any = True) -> Any:
        """Pipe into ``destination`` with backpressure; ``end`` may be Node's ``{'end': False}``."""
        return _pipe(self, destination, end)

    def unpipe(self, destination: Any = None) -> 'Readable':
        return _unpipe(self, destination)  # type: ignore[no-any-return]

    def destroy(self, err: Optional[BaseException] = None,
                cb: Optional[Callable[..., Any]] = None) -> 'Readable':
        """D2: idempotent; ``'error'`` (if any) then ``'close'`` on later ticks."""
        return _destroy_impl(self, err, cb)  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Any]:
        """Block per chunk (gevent); ends at ``'end'``, raises the stream's error."""
        return hooks.iterate(self)

    # -- listeners that change the mode ------------------------------------------------------
    def _add(self: _R, event: str, listener: Callable[..., Any], prepend: bool) -> _R:
        res = Stream._add(self, event, listener, prepend)
        if event == 'data':
            state = self._readable_state
            state.data_listening = True
            if 'readable' in self._events:  # listener_count('readable') > 0
                state.readable_listening = True
            if state.flowing is not False:
                self.resume()
        elif event == 'readable':
            state = self._readable_state
            if not state.end_emitted and not state.readable_listening:
                state.readable_listening = state.need_readable = True
                state.flowing = False
                state.emitted_readable = False
                if state.length:
                    emit_readable(self)
                elif not state.reading:
                    hooks.next_tick(self.read, 0)
        return res

    def remove_listener(self: _R, event: str, listener: Callable[..., Any]) -> _R:
        res = Stream.remove_listener(self, event, listener)
        if event == 'readable':
            hooks.next_tick(_update_readable_listening, self)
        elif event == 'data' and 'data' not in self._events:  # the last 'data' listener went
            self._readable_state.data_listening = False
        return res

    off = remove_listener

    def remove_all_listeners(self: _R, event: Optional[str] = None) -> _R:
        res = Stream.remove_all_listeners(self, event)
        if event == 'readable' or event is None:
            hooks.next_tick(_update_readable_listening, self)
        if self.listener_count('data') == 0:
            self._readable_state.data_listening = False
        return res

    # -- properties --------------------------------------------------------------------------
    @property
    def readable(self) -> bool:
        """True until the stream ended (``'end'`` emitted), errored or was destroyed."""
        r = self._readable_state
        return r.readable is not False and not r.destroyed and not r.error_emitted and not r.end_emitted

    @readable.setter
    def readable(self, value: bool) -> None:
        self._readable_state.readable = bool(value)

    @property
    def readable_flowing(self) -> Optional[bool]:
        """None (no consumer yet), True (flowing) or False (paused)."""
        return self._readable_state.flowing  # type: ignore[no-any-return]

    @readable_flowing.setter
    def readable_flowing(self, value: Optional[bool]) -> None:
        self._readable_state.flowing = None if value is None else bool(value)

    @property
    def readable_aborted(self) -> bool:
        """True if destroyed or errored before ``'end'``."""
        r = self._readable_state
        return r.readable is not False and (r.destroyed or r.errored is not None) and not r.end_emitted

    @property
    def readable_length(self) -> int:
        """Bytes (chars after set_encoding, objects) buffered."""
        return cast(int, self._readable_state.length)

    @property
    def readable_high_water_mark(self) -> int:
        """The R2 threshold."""
        return cast(int, self._readable_state.high_water_mark)

    @property
    def readable_ended(self) -> bool:
        """True once 'end' was emitted."""
        return cast(bool, self._readable_state.end_emitted)

    @property
    def readable_encoding(self) -> Optional[str]:
        """The set_encoding() value (canonical), or None."""
        return cast(Optional[str], self._readable_state.encoding)

    @property
    def readable_object_mode(self) -> bool:
        """True for a stream of objects (each counts 1)."""
        return cast(bool, self._readable_state.object_mode)

    @property
    def readable_did_read(self) -> bool:
        """True once 'data' was emitted."""
        return cast(bool, self._readable_state.data_emitted)

    @property
    def readable_buffer(self) -> List[Any]:
        """A copy of the buffered chunks."""
        return list(self._readable_state.buffer)

    @property
    def destroyed(self) -> bool:
        """True once destroy() was called."""
        return cast(bool, self._readable_state.destroyed)

    @property
    def closed(self) -> bool:
        """True once _destroy has called back."""
        return cast(bool, self._readable_state.closed)

    @property
    def errored(self) -> Optional[BaseException]:
        """The error the stream failed with, or None."""
        return cast(Optional[BaseException], self._readable_state.errored)

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    isPaused = is_paused
    setEncoding = set_encoding
    removeListener = remove_listener
    removeAllListeners = remove_all_listeners
    readableFlowing = readable_flowing
    readableAborted = readable_aborted
    readableLength = readable_length
    readableHighWaterMark = readable_high_water_mark
    readableEnded = readable_ended
    readableEncoding = readable_encoding
    readableObjectMode = readable_object_mode
    readableDidRead = readable_did_read
    readableBuffer = readable_buffer
