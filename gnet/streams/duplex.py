"""Node's ``stream.Duplex``, ``stream.Transform`` and ``stream.PassThrough``.

Owns: the class that carries both a ReadableState and a WritableState
(D1 ``allow_half_open``, ``readable=False``/``writable=False``, the Duplex
``destroyed`` rule), Transform's ``_transform``/``_flush`` over the two
sides, and PassThrough.
Must not import: gevent, greenlet, socket.  Schedules only through
``hooks.next_tick``.

Reference: Node 20 ``lib/internal/streams/duplex.js``, ``transform.js``,
``passthrough.js``.  As in Node, a Duplex is a Readable first (``pipe``,
``closed``, ``errored`` and the listener rules come from Readable) with the
Writable methods added, and ``destroy`` is Writable's (queued writes fail).
D1: with ``allow_half_open=False`` the readable side's ``'end'`` calls
``end()`` on the writable side on the next tick (Node's ``endWritableNT``).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from zope.interface import implementer

from ..interfaces import IDuplex
from ..naming import node_aliases, options as _options
from . import hooks
from .base import Stream, construct, high_water_mark, install_hooks
from .readable import Readable
from .readable_state import ReadableState
from .writable import Writable
from .writable_state import WritableState, writable_destroy

__all__ = ['Duplex', 'Transform', 'PassThrough']


@node_aliases
@implementer(IDuplex)
class Duplex(Readable, Writable):
    """Node's ``stream.Duplex``: implement ``_read`` and ``_write`` (and maybe ``_final``)."""

    def __init__(self, options: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> None:
        opts = _options(options, **kwargs)
        self._init_duplex(opts)
        install_hooks(self, opts, ('read', 'write', 'writev', 'destroy', 'final', 'construct'))
        if self._construct is not None:
            construct(self, self._on_constructed)

    def _init_duplex(self, opts: Mapping[str, Any]) -> None:
        """Both sides' state from snake_case options (no hooks, no _construct)."""
        Stream.__init__(self)
        rstate = self._readable_state = ReadableState(opts, True)
        wstate = self._writable_state = WritableState(opts, self, True)
        self._allow_half_open = opts.get('allow_half_open') is not False
        if opts.get('readable') is False:
            rstate.readable = False
            rstate.ended = rstate.end_emitted = True
        if opts.get('writable') is False:
            wstate.writable = False
            wstate.ending = wstate.ended = wstate.finished = True

    def _on_constructed(self) -> None:
        self._readable_state.on_constructed(self)
        self._writable_state.on_constructed(self)

    @property
    def allow_half_open(self) -> bool:
        """D1: False ends the writable side once the readable side has ended."""
        return self._allow_half_open

    @allow_half_open.setter
    def allow_half_open(self, value: bool) -> None:
        self._allow_half_open = bool(value)

    def destroy(self, err: Optional[BaseException] = None,
                cb: Optional[Callable[..., Any]] = None) -> 'Duplex':
        """D2: idempotent; queued writes fail; ``'error'`` (if any) then ``'close'``, last."""
        return writable_destroy(self, err, cb)  # type: ignore[no-any-return]

    @property
    def destroyed(self) -> bool:
        return self._readable_state.destroyed and self._writable_state.destroyed  # type: ignore[no-any-return]

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    allowHalfOpen = allow_half_open


@node_aliases
class Transform(Duplex):
    """Node's ``stream.Transform``: implement ``_transform(chunk, encoding, callback)``.

    ``callback(err=None, data=None)`` pushes ``data`` if given.  ``_flush(callback)``
    runs before the readable side ends.
    """

    _flush: Optional[Callable[..., Any]] = None

    def __init__(self, options: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> None:
        opts = _options(options, **kwargs)
        if high_water_mark(opts, 'readable_high_water_mark', True, False) == 0:
            opts = dict(opts, high_water_mark=None,
                        writable_high_water_mark=opts.get('writable_high_water_mark') or 0)
            opts['readable_high_water_mark'] = 0
            opts.pop('high_water_mark')
        Duplex.__init__(self, opts)
        self._readable_state.sync = False  # Node: a Transform's first push is not "inside _read"
        self._transform_callback: Optional[Callable[..., Any]] = None
        install_hooks(self, opts, ('transform', 'flush'))
        self.on('prefinish', self._on_prefinish)

    def _transform(self, chunk: Any, encoding: str, callback: Callable[..., Any]) -> None:
        from .. import errors
        raise errors.ERR_METHOD_NOT_IMPLEMENTED('_transform()')

    def _final(self, callback: Optional[Callable[..., Any]] = None) -> None:
        _transform_final(self, callback)

    def _on_prefinish(self) -> None:
        if getattr(self._final, '__func__', None) is not Transform._final:
            _transform_final(self, None)

    def _write(self, chunk: Any, encoding: str, callback: Callable[..., Any]) -> None:
        rstate = self._readable_state
        wstate = self._writable_state
        length = rstate.length

        def on_transformed(err: Optional[BaseException] = None, val: Any = None) -> None:
            if err is not None:
                callback(err)
                return
            if val is not None:
                self.push(val)
            if rstate.ended:
                hooks.next_tick(callback)
            elif wstate.ended or length == rstate.length or rstate.length < rstate.high_water_mark:
                callback()
            else:
                self._transform_callback = callback

        self._transform(chunk, encoding, on_transformed)

    def _read(self, size: int) -> None:
        callback = self._transform_callback
        if callback is not None:
            self._transform_callback = None
            callback()


def _transform_final(stream: Transform, callback: Optional[Callable[..., Any]]) -> None:
    flush = stream._flush
    if flush is not None and not stream.destroyed:
        def on_flush(err: Optional[BaseException] = None, data: Any = None) -> None:
            if err is not None:
                if callback is not None:
                    callback(err)
                else:
                    stream.destroy(err)
                return
            if data is not None:
                stream.push(data)
            stream.push(None)
            if callback is not None:
                callback()
        flush(on_flush)
    else:
        stream.push(None)
        if callback is not None:
            callback()


@node_aliases
class PassThrough(Transform):
    """Node's ``stream.PassThrough``: what is written is read back unchanged."""

    def _transform(self, chunk: Any, encoding: str, callback: Callable[..., Any]) -> None:
        callback(None, chunk)
