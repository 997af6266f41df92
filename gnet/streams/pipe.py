"""Connecting streams: ``pipe``/``unpipe``, ``finished`` and ``pipeline``.

Owns: Node's ``Readable.prototype.pipe``/``unpipe`` (backpressure: the source
pauses when ``dest.write()`` returns False and resumes on ``'drain'``),
``finished(stream, callback)`` (Node's end-of-stream ``eos``) and
``pipeline(*streams, callback)``.
Must not import: gevent, greenlet, socket, and (at import time) the stream
classes -- they import this module.  Schedules only through
``hooks.next_tick``.

Reference: Node 20 ``lib/internal/streams/readable.js`` (``pipe``,
``pipeOnDrain``, ``unpipe``), ``end-of-stream.js``, ``pipeline.js``.

Differences from Node, on purpose:

* ``'unpipe'`` listeners receive only the source (Node also passes an
  internal ``{hasUnpiped}`` object that a Python listener would have to
  declare); ``'pipe'`` listeners receive the source.
* ``pipeline`` connects streams only (no generators, iterables or web
  streams) and calls ``callback(err)`` with one argument.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional

from .. import errors
from ..naming import options as _options
from . import hooks
from .base import (
    error_or_destroy,
    is_closed,
    is_destroyed,
    is_finished,
    is_node_stream,
    is_readable,
    is_readable_finished,
    is_readable_node_stream,
    is_writable,
    is_writable_finished,
    is_writable_node_stream,
    stream_errored,
    will_emit_close,
)

__all__ = ['pipe', 'unpipe', 'finished', 'pipeline']


# -- pipe ------------------------------------------------------------------------------------
def pipe(src: Any, dest: Any, end: Any = True) -> Any:
    """``src.pipe(dest, {end})``; returns ``dest``."""
    if end is not True and isinstance(end, Mapping):  # (an ABC check is slow)
        end = _options(end).get('end', True)
    _Pipe(src, dest, end is not False).start()
    return dest


class _Pipe:
    """One ``src.pipe(dest)``: its listeners are this object's bound methods.

    One small object per pipe instead of a closure per listener: an idle
    piped socket (``c.pipe(c)``) stays light.  Listeners are removed by
    equality (a bound method equals a fresh binding of the same method).
    """

    __slots__ = ('src', 'dest', 'state', 'do_end', 'drain_listening', 'cleaned_up')

    def __init__(self, src: Any, dest: Any, do_end: bool):
        self.src = src
        self.dest = dest
        self.state = src._readable_state
        self.do_end = do_end
        self.drain_listening = False  # our 'drain' listener is on dest
        self.cleaned_up = False

    def start(self) -> None:
        src, dest, state = self.src, self.dest, self.state
        if len(state.pipes) == 1 and not state.multi_await_drain:
            state.multi_await_drain = True
            previous = state.await_drain_writers
            state.await_drain_writers = set() if previous is None else {previous}
        state.pipes.append(dest)
        end_fn = self.onend if self.do_end else self.unpipe_dest
        if state.end_emitted:
            hooks.next_tick(end_fn)
        else:
            src.once('end', end_fn)
        dest.on('unpipe', self.onunpipe)
        src.on('data', self.ondata)
        dest.prepend_listener('error', self.onerror)
        dest.once('close', self.onclose)
        dest.once('finish', self.onfinish)
        dest.emit('pipe', src)
        if getattr(dest, 'writable_need_drain', False) is True:
            self.pause()
        elif not state.flowing:
            src.resume()

    def onunpipe(self, readable: Any = None, *_rest: Any) -> None:
        if readable is self.src and not self.cleaned_up:
            self.cleanup()

    def onend(self, *_args: Any) -> None:
        self.dest.end()

    def unpipe_dest(self, *_args: Any) -> None:
        self.src.unpipe(self.dest)

    def cleanup(self) -> None:
        src, dest = self.src, self.dest
        dest.remove_listener('close', self.onclose)
        dest.remove_listener('finish', self.onfinish)
        if self.drain_listening:
            dest.remove_listener('drain', self.ondrain)
        dest.remove_listener('error', self.onerror)
        dest.remove_listener('unpipe', self.onunpipe)
        src.remove_listener('end', self.onend if self.do_end else self.unpipe_dest)
        src.remove_listener('data', self.ondata)
        self.cleaned_up = True
        wstate = getattr(dest, '_writable_state', None)
        if (self.drain_listening and _awaiting(self.state)
                and (wstate is None or wstate.need_drain)):
            self.ondrain()

    def pause(self) -> None:
        state, dest = self.state, self.dest
        if not self.cleaned_up:
            if len(state.pipes) == 1 and state.pipes[0] is dest:
                state.await_drain_writers = dest
                state.multi_await_drain = False
            elif len(state.pipes) > 1 and _contains(state.pipes, dest):
                state.await_drain_writers.add(dest)
            self.src.pause()
        if not self.drain_listening:
            self.drain_listening = True
            dest.on('drain', self.ondrain)

    def ondata(self, chunk: Any) -> None:
        if self.dest.write(chunk) is False:
            self.pause()

    def ondrain(self, *_args: Any) -> None:
        """Node's pipeOnDrain: resume once no destination is awaited any more."""
        state, dest = self.state, self.dest
        if state.await_drain_writers is dest:
            state.await_drain_writers = None
        elif state.multi_await_drain:
            state.await_drain_writers.discard(dest)
        awd = state.await_drain_writers
        if (awd is None or (isinstance(awd, set) and not awd)) and state.data_listening:
            self.src.resume()

    def onerror(self, err: BaseException) -> None:
        dest = self.dest
        self.unpipe_dest()
        dest.remove_listener('error', self.onerror)
        if dest.listener_count('error') == 0:
            s = getattr(dest, '_writable_state', None) or getattr(dest, '_readable_state', None)
            if s is not None and not s.error_emitted:
                error_or_destroy(dest, err)
            else:
                dest.emit('error', err)

    def onclose(self, *_args: Any) -> None:
        self.dest.remove_listener('finish', self.onfinish)
        self.unpipe_dest()

    def onfinish(self, *_args: Any) -> None:
        self.dest.remove_listener('close', self.onclose)
        self.unpipe_dest()


def _contains(items: List[Any], item: Any) -> bool:
    return any(each is item for each in items)


def _awaiting(state: Any) -> bool:
    # Node tests ``state.awaitDrainWriters`` for truth: a Set (even empty) or a stream
    return state.await_drain_writers is not None


def unpipe(src: Any, dest: Any = None) -> Any:
    """``src.unpipe([dest])``: stop piping (all destinations when None); returns ``src``."""
    state = src._readable_state
    if not state.pipes:
        return src
    if dest is None:
        dests = state.pipes
        state.pipes = []
        src.pause()
        for each in dests:
            each.emit('unpipe', src)
        return src
    for index, each in enumerate(state.pipes):  # noqa: B007 (index is used after the loop)
        if each is dest:
            break
    else:
        return src
    del state.pipes[index]
    if not state.pipes:
        src.pause()
    dest.emit('unpipe', src)
    return src


# -- finished (end-of-stream) -------------------------------------------------------------------
def finished(stream: Any, options: Any = None, callback: Optional[Callable[..., Any]] = None,
             **kwargs: Any) -> Callable[[], None]:
    """``finished(stream[, options], callback)``: ``callback(err)`` once the stream is done.

    Done means ``'end'`` (readable side) and ``'finish'`` (writable side), or
    ``'error'``; a ``'close'`` before them gives ``ERR_STREAM_PREMATURE_CLOSE``.
    Options: ``readable``, ``writable`` (which sides to wait for), ``error``
    (False: ignore ``'error'`` events).  Returns a function that removes the
    listeners (the callback is then never called).
    """
    if callback is None and callable(options):
        callback, options = options, None
    opts = _options(options, **kwargs)
    if not callable(callback):
        raise errors.ERR_INVALID_ARG_TYPE('callback', 'Function', callback)
    if not is_node_stream(stream):
        raise errors.ERR_INVALID_ARG_TYPE('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream)
    done = [False]

    def call(err: Optional[BaseException] = None) -> None:
        if not done[0]:
            done[0] = True
            callback(err)

    readable = opts.get('readable')
    if readable is None:
        readable = is_readable_node_stream(stream)
    writable = opts.get('writable')
    if writable is None:
        writable = is_writable_node_stream(stream)
    wstate = getattr(stream, '_writable_state', None)
    rstate = getattr(stream, '_readable_state', None)
    flags = {
        'will_emit_close': (will_emit_close(stream)
                            and is_readable_node_stream(stream) == readable
                            and is_writable_node_stream(stream) == writable),
        'writable_finished': is_writable_finished(stream, False),
        'readable_finished': is_readable_finished(stream, False),
    }

    def onfinish(*_args: Any) -> None:
        flags['writable_finished'] = True
        if getattr(stream, 'destroyed', False):
            flags['will_emit_close'] = False
        if flags['will_emit_close'] and (not getattr(stream, 'readable', False) or readable):
            return
        if not readable or flags['readable_finished']:
            call()

    def onend(*_args: Any) -> None:
        flags['readable_finished'] = True
        if getattr(stream, 'destroyed', False):
            flags['will_emit_close'] = False
        if flags['will_emit_close'] and (not getattr(stream, 'writable', False) or writable):
            return
        if not writable or flags['writable_finished']:
            call()

    def onerror(err: Any = None, *_args: Any) -> None:
        call(err)

    def onclose(*_args: Any) -> None:
        errored = stream_errored(stream)
        if errored is not None:
            return call(errored)
        if (readable and not flags['readable_finished'] and is_readable_node_stream(stream)
                and callable(getattr(stream, 'pause', None))):
            if not is_readable_finished(stream, False):
                return call(errors.ERR_STREAM_PREMATURE_CLOSE())
        if writable and not flags['writable_finished']:
            if not is_writable_finished(stream, False):
                return call(errors.ERR_STREAM_PREMATURE_CLOSE())
        return call()

    def onclosed() -> None:
        errored = stream_errored(stream)
        call(errored)

    stream.on('end', onend)
    stream.on('finish', onfinish)
    if opts.get('error') is not False:
        stream.on('error', onerror)
    stream.on('close', onclose)

    if is_closed(stream):
        hooks.next_tick(onclose)
    elif (wstate is not None and wstate.error_emitted) or (rstate is not None and rstate.error_emitted):
        if not flags['will_emit_close']:
            hooks.next_tick(onclosed)
    elif (not readable and (not flags['will_emit_close'] or is_readable(stream))
          and (flags['writable_finished'] or is_writable(stream) is False)
          and (wstate is None or wstate.pendingcb == 0)):
        hooks.next_tick(onclosed)
    elif (not writable and (not flags['will_emit_close'] or is_writable(stream))
          and (flags['readable_finished'] or is_readable(stream) is False)):
        hooks.next_tick(onclosed)

    def cleanup() -> None:
        done[0] = True
        stream.remove_listener('finish', onfinish)
        stream.remove_listener('end', onend)
        stream.remove_listener('error', onerror)
        stream.remove_listener('close', onclose)

    return cleanup


# -- pipeline -------------------------------------------------------------------------------------
def _destroyer_impl(stream: Any, err: Optional[BaseException]) -> None:
    if stream is None or is_destroyed(stream):
        return
    if err is None and not is_finished(stream):
        err = errors.AbortError()
    stream.destroy(err)


def _destroyer(stream: Any, reading: bool, writing: bool) -> Any:
    state = {'finished': False}

    def on_close(*_args: Any) -> None:
        state['finished'] = True

    def on_done(err: Optional[BaseException] = None) -> None:
        state['finished'] = err is None

    stream.on('close', on_close)
    cleanup = finished(stream, on_done, readable=reading, writable=writing)

    def destroy(err: Optional[BaseException]) -> None:
        if state['finished']:
            return
        state['finished'] = True
        _destroyer_impl(stream, err or errors.ERR_STREAM_DESTROYED('pipe'))

    return destroy, cleanup


def _pipe_for_pipeline(src: Any, dst: Any, finish: Callable[..., None], end: bool) -> Callable[[], None]:
    ended = [False]

    def on_dst_close(*_args: Any) -> None:
        if not ended[0]:
            finish(errors.ERR_STREAM_PREMATURE_CLOSE())

    dst.on('close', on_dst_close)
    src.pipe(dst, end=False)  # ends dst itself below, after the source's 'end'
    if end:
        def end_fn(*_args: Any) -> None:
            ended[0] = True
            dst.end()

        if is_readable_finished(src):
            hooks.next_tick(end_fn)
        else:
            src.once('end', end_fn)
    else:
        finish()

    def on_src_done(err: Optional[BaseException] = None) -> None:
        rstate = src._readable_state
        if (err is not None and getattr(err, 'code', None) == 'ERR_STREAM_PREMATURE_CLOSE'
                and rstate is not None and rstate.ended and rstate.errored is None
                and not rstate.error_emitted):
            src.once('end', lambda *_a: finish()).once('error', finish)
        else:
            finish(err)

    finished(src, on_src_done, readable=True, writable=False)
    return finished(dst, finish, readable=False, writable=True)


def pipeline(*streams: Any, **kwargs: Any) -> Any:
    """``pipeline(*streams, callback)``: pipe each stream into the next.

    Every stream is destroyed on the first error; ``callback(err)`` runs
    once (on a later tick) with that error or None.  Returns the last stream.
    Option ``end=False`` leaves the last stream open.
    """
    streams_list = list(streams)
    if not streams_list or not callable(streams_list[-1]) or is_node_stream(streams_list[-1]):
        raise errors.ERR_INVALID_ARG_TYPE('streams[stream.length - 1]', 'Function',
                                          streams_list[-1] if streams_list else None)
    user_callback = streams_list.pop()
    if len(streams_list) == 1 and isinstance(streams_list[0], (list, tuple)):
        streams_list = list(streams_list[0])
    if len(streams_list) < 2:
        raise errors.ERR_MISSING_ARGS('streams')
    opts = _options(None, **kwargs)
    called = [False]

    def callback(err: Optional[BaseException]) -> None:
        if not called[0]:
            called[0] = True
            user_callback(err)

    outcome: Dict[str, Any] = {'error': None, 'count': 0}
    destroys: List[Callable[..., None]] = []
    last_cleanup: List[Callable[[], None]] = []

    def finish(err: Optional[BaseException] = None) -> None:
        outcome['count'] -= 1
        finish_impl(err, outcome['count'] == 0)

    def finish_impl(err: Optional[BaseException], final: bool) -> None:
        current = outcome['error']
        if err is not None and (current is None
                                or getattr(current, 'code', None) == 'ERR_STREAM_PREMATURE_CLOSE'):
            outcome['error'] = current = err
        if current is None and not final:
            return
        while destroys:
            destroys.pop(0)(current)
        if final:
            if current is None:
                for fn in last_cleanup:
                    fn()
            hooks.next_tick(callback, current)

    def watch_errors(stream: Any, track: bool) -> None:
        def on_error(err: Any = None, *_args: Any) -> None:
            if (err is not None and getattr(err, 'name', None) != 'AbortError'
                    and getattr(err, 'code', None) != 'ERR_STREAM_PREMATURE_CLOSE'):
                finish(err)
        stream.on('error', on_error)
        if track:
            last_cleanup.append(lambda: stream.remove_listener('error', on_error))

    ret = None
    last = len(streams_list) - 1
    for i, stream in enumerate(streams_list):
        reading = i < last
        writing = i > 0
        end = reading or opts.get('end') is not False
        is_last = i == last
        if not is_node_stream(stream):
            raise errors.ERR_INVALID_ARG_TYPE('streams[%d]' % i, 'Stream', stream)
        if end:
            destroy, cleanup = _destroyer(stream, reading, writing)
            destroys.append(destroy)
            if is_last and is_readable(stream):
                last_cleanup.append(cleanup)
        watch_errors(stream, bool(is_last and is_readable(stream)))
        if i == 0:
            if not is_readable_node_stream(stream):
                raise errors.ERR_INVALID_ARG_TYPE('streams[0]', 'Readable', stream)
        else:
            if not is_readable_node_stream(ret):
                raise errors.ERR_INVALID_ARG_TYPE('val', 'Readable', ret)
            outcome['count'] += 2
            cleanup = _pipe_for_pipeline(ret, stream, finish, end)
            if is_last and is_readable(stream):
                last_cleanup.append(cleanup)
        ret = stream
    return ret
