"""The state half of ``net.Socket``: fields, timeouts, options, addresses.

Owns: every per-socket field (``__slots__``) and its initialisation
(``_setup``), the idle timeout (T1), no-delay/keep-alive caching and
application (K1, through ``ITCPHandle.providedBy``), ref/unref,
``ready_state``, the address properties, the abort signal and Node's
small extras (``end``, ``destroy_soon``, ``reset_and_destroy``, ``pause``,
``resume``).  :class:`gnet.net.socket.Socket` adds connect and the Duplex
hooks on top.
Must not import: the socket module (it subclasses this one), the server.
"""

from __future__ import annotations

import time
import weakref
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, TypeVar, cast

from greenlet import getcurrent

from .. import errors
from ..abort import AbortSignal, validate_signal
from ..interfaces import IStreamHandle, ITCPHandle
from ..runtime import loop
from ..runtime.runner import ConnectionRunner
from ..streams.base import undestroy
from ..streams.duplex import Duplex
from ..streams.writable_state import onwrite
from ..validators import keep_alive_seconds, timer_duration
from .socket_options import SocketConfig

__all__ = ['SocketBase', 'READ_SIZE']

#: recv() size: starts here; grows to the handle's ``read_size_max`` while
#: reads fill it (bulk TCP transfers gain most from large reads), back after
#: a short read
READ_SIZE = 65536

_S = TypeVar('_S', bound='SocketBase')


class SocketBase(Duplex):
    """The fields and the handle-independent methods of a :class:`Socket`."""

    # an idle server holds thousands of these: keep the per-socket state in slots
    __slots__ = (
        'signal', 'connecting', '_attempted_addresses',
        '_loop', '_runner', '_handle', '_block_list', '_server', '_refd',
        '_pending_write',    # (method, args) of a write made while connecting
        '_out', '_out_cb',   # unsent tail and callback of the write in flight
        '_reading',          # the stream asked for data (_read was called)
        '_read_size',        # the adaptive recv() size
        '_timeout_ms', '_timeout_given', '_timer', '_last_active',
        '_no_delay', '_keep_alive', '_keep_alive_delay',
        '_bytes_read', '_bytes_written', '_peer', '_local', '_path',
        '_reset_on_destroy', '_onread', '_onread_paused', '_attempt_timer',
        '_connect_address', '_connect_on_fail',
        '_active',           # counted by the loop as an active handle (see _is_active)
        '_closing',          # destroyed, its 'close' still to come
        '_awaiting_lookup',  # connecting, waiting for a user's lookup function to answer
        '_write_after_fin',  # the peer ended us, half-open off: writes fail with EPIPE
    )
    signal: Optional[AbortSignal]  # the signal option: aborting destroys the socket
    connecting: bool               # connect() was called, 'connect' not yet emitted

    def _setup(self, config: 'SocketConfig', signal: Any,
               event_loop: Optional[loop.Loop] = None) -> None:
        """Every field of a new, unconnected socket, from validated options."""
        self.signal = None if signal is None else validate_signal(signal)
        self._init_duplex(config.stream_options)
        # a socket keeps reading until push() says the buffer is full
        self._readable_state.auto_read = True
        self._loop = event_loop or loop.get_loop()
        self._runner = ConnectionRunner(self._loop, self)
        self._handle: Optional[IStreamHandle] = None  # TCPHandle or PipeHandle (ask the interfaces)
        self.connecting = False
        self._block_list = config.block_list
        self._server: Any = None
        self._refd = True
        self._pending_write: Any = None      # (method, args) made while connecting
        self._out: Sequence[Any] = ()       # unsent buffers of the write in flight
        self._out_cb: Optional[Callable[..., Any]] = None
        self._reading = False               # the stream wants data (_read was called)
        self._read_size = READ_SIZE
        self._timeout_ms: float = 0
        self._timeout_given: Optional[float] = None
        self._timer: Optional[loop.Timeout] = None
        self._last_active = 0.0
        self._no_delay = config.no_delay
        self._keep_alive = config.keep_alive
        self._keep_alive_delay = config.keep_alive_delay
        self._bytes_read = 0
        self._bytes_written = 0
        self._peer: Optional[Dict[str, Any]] = None
        self._local: Optional[Dict[str, Any]] = None
        self._path: Optional[str] = None
        self._reset_on_destroy = False
        self._onread = config.onread
        self._onread_paused = False
        self._attempt_timer: Optional[loop.Timeout] = None
        self._connect_address: Any = None
        self._connect_on_fail: Optional[Callable[[BaseException], None]] = None
        self._active = False
        self._closing = False
        self._awaiting_lookup = False
        self._write_after_fin = False
        # Node's constructor adds onReadableStreamEnd, always: listenerCount('end') is 1.
        # What on() does for a new emitter (no 'newListener' yet), at a sixth of the cost
        events = self._events
        events['end'] = events.get('end', ()) + (_ReadableStreamEnd(self),)
        # Node leaves it undefined until a connect with autoSelectFamily
        self._attempted_addresses: Optional[List[str]] = None
        if self.signal is not None:
            self._watch_signal(self.signal)

    # -- Node's extra methods ---------------------------------------------------------------
    def end(self: _S, *args: Any) -> _S:
        Duplex.end(self, *args)
        return self

    def destroy_soon(self) -> None:
        if self.writable:
            self.end()
        if self.writable_finished:
            self.destroy()
        else:
            self.once('finish', self.destroy)

    def reset_and_destroy(self: _S) -> _S:
        handle = self._handle
        if handle is not None and not ITCPHandle.providedBy(handle):
            raise errors.ERR_INVALID_HANDLE_TYPE()
        if handle is None and self._path is not None:
            raise errors.ERR_INVALID_HANDLE_TYPE()
        self._reset_on_destroy = True
        if self.connecting:
            return self  # reset once connected (see _connected)
        if handle is None:
            self.destroy(errors.ERR_SOCKET_CLOSED())
        else:
            self.destroy()
        return self

    def pause(self: _S) -> _S:
        if self._onread is not None and self._handle is not None and not self.connecting:
            self._onread_paused = True
            self._runner.stop_read()
            self._may_go_idle()
        Duplex.pause(self)
        return self

    def resume(self: _S) -> _S:
        if self._onread is not None and self._onread_paused and not self.destroyed:
            self._onread_paused = False
            self._reading = True
            if self._handle is not None and not self.connecting:
                self._hold_loop()
                self._runner.want_read()
        Duplex.resume(self)
        return self

    def set_encoding(self: _S, encoding: Optional[str] = None) -> _S:
        Duplex.set_encoding(self, encoding)
        return self

    def _revive(self) -> None:
        """Reconnect after 'close' (Node allows it): Node's ``_undestroy``.

        Listeners, flowing mode and encoding carry over; the counters and the
        addresses start again with the new connection.
        """
        wstate = self._writable_state
        if not wstate.close_emitted:
            raise errors.ERR_SOCKET_CLOSED()
        undestroy(self)
        wstate.onwrite = partial(onwrite, self)  # _emit_close had cut it loose
        self._runner = ConnectionRunner(self._loop, self)
        self._peer = self._local = None
        self._bytes_read = self._bytes_written = 0
        self._reading = self._reset_on_destroy = False
        self._read_size = READ_SIZE

    def _write_after_end_error(self) -> BaseException:
        """Node's writeAfterFIN: the peer ended and allow_half_open was off then."""
        if self._write_after_fin:
            return errors.NodeError('This socket has been ended by the other party', code='EPIPE')
        return errors.ERR_STREAM_WRITE_AFTER_END()

    def _string_as_buffer_error(self) -> BaseException:
        """Node's ``handle.writeBuffer`` refusing a string written as ``'buffer'``."""
        message = 'Second argument must be a buffer'
        err = errors.ERR_INVALID_ARG_TYPE('buffer', 'Buffer', '')
        err.message, err.args = message, (message,)
        return err

    # -- timeouts ---------------------------------------------------------------------------
    def set_timeout(self: _S, ms: Any, callback: Optional[Callable[..., Any]] = None) -> _S:
        """T1: ``'timeout'`` after ``ms`` idle milliseconds; 0 disables."""
        timer_duration(ms, 'msecs')
        if callback is not None and not callable(callback):
            raise errors.ERR_INVALID_ARG_TYPE('callback', 'Function', callback)
        if self.destroyed:
            return self
        self._timeout_given = ms
        self._timeout_ms = min(ms, loop.TIMEOUT_MAX)  # Node truncates, never spins
        ms = self._timeout_ms
        if self._timer is not None:
            self._timer.close()
            self._timer = None
        if ms == 0:
            if callback is not None:
                self.remove_listener('timeout', callback)
            return self
        self._touch()  # arms the timer
        if callback is not None:
            self.once('timeout', callback)
        return self

    def _touch(self) -> None:
        """Activity: the idle period starts again (a timer that fired is re-armed)."""
        self._last_active = time.monotonic()
        if self._timer is None and self._timeout_ms and not self.destroyed:
            self._timer = self._loop.set_timeout(self._timer_fired, self._timeout_ms).unref()

    def _timer_fired(self) -> None:
        """On the loop's runner: wait on if there was activity, else emit 'timeout'."""
        timer = self._timer
        if timer is None or self.destroyed:
            return
        idle_ms = (time.monotonic() - self._last_active) * 1000.0
        remaining = self._timeout_ms - idle_ms
        if remaining > 1:
            self._timer = self._loop.set_timeout(self._timer_fired, remaining).unref()
            return
        self._timer = None  # as Node: once per idle period; the next activity re-arms it
        self._runner.next_tick(self._emit_timeout)

    def _emit_timeout(self) -> None:
        if not self.destroyed:
            self.emit('timeout')

    @property
    def timeout(self) -> Optional[float]:
        """The last ``set_timeout`` value (0 included); None if never set."""
        return self._timeout_given

    # -- options (K1) -------------------------------------------------------------------
    def set_no_delay(self: _S, no_delay: bool = True) -> _S:
        no_delay = bool(no_delay)
        handle = self._handle
        if handle is None or self.connecting:
            self._no_delay = no_delay
            return self
        if ITCPHandle.providedBy(handle) and no_delay != self._no_delay:
            self._no_delay = no_delay
            try:
                handle.set_no_delay(no_delay)
            except OSError:
                pass
        return self

    def set_keep_alive(self: _S, enable: bool = False, initial_delay: Any = 0) -> _S:
        enable = bool(enable)
        delay_s = keep_alive_seconds(initial_delay)  # Node's ~~(ms / 1000): never raises
        handle = self._handle
        if handle is None or self.connecting:
            self._keep_alive, self._keep_alive_delay = enable, delay_s
            return self
        if not ITCPHandle.providedBy(handle):
            return self
        if enable != self._keep_alive or (enable and delay_s != self._keep_alive_delay):
            self._keep_alive, self._keep_alive_delay = enable, delay_s
            try:
                handle.set_keep_alive(enable, delay_s)
            except OSError:
                pass
        return self

    # -- ref / unref ------------------------------------------------------------------------
    def ref(self: _S) -> _S:
        self._refd = True
        if self._active:
            self._loop.ref_handle(self)
        return self

    def unref(self: _S) -> _S:
        self._refd = False
        self._loop.unref_handle(self)
        return self

    # -- properties ---------------------------------------------------------------------------
    @property
    def pending(self) -> bool:
        return self._handle is None or self.connecting

    @property
    def ready_state(self) -> str:
        if self.connecting:
            return 'opening'
        if self.readable and self.writable:
            return 'open'
        if self.readable:
            return 'readOnly'
        if self.writable:
            return 'writeOnly'
        return 'closed'

    @property
    def bytes_read(self) -> int:
        return self._bytes_read

    @property
    def bytes_written(self) -> int:
        """Bytes handed to ``write()``: sent, or still queued (as Node 20 counts).

        Queued means the unsent tail of the write in flight, a write made while
        connecting, and the writable buffer (corked or behind a slow peer).
        """
        handle = self._handle
        sent = handle.bytes_written if handle is not None else self._bytes_written
        queued = sum(len(b) for b in self._out)
        pending = self._pending_write
        if pending is not None:
            queued += sum(len(b) for b in pending[1][0])
        wstate = self._writable_state
        if not wstate.object_mode:
            queued += sum(len(entry[0]) for entry in wstate.get_buffer())
        return int(sent + queued)

    @property
    def buffer_size(self) -> int:
        return int(self.writable_length)

    def address(self) -> Dict[str, Any]:
        handle = self._handle
        if handle is None:
            return {}
        if ITCPHandle.providedBy(handle):
            return handle.sockname() or {}
        return {}

    def _peer_field(self, key: str) -> Any:
        """Read once while connected, then cached: it still answers in 'close' (as Node)."""
        peer = self._peer
        if peer is None:
            if self.destroyed or self.connecting:
                return None
            handle = self._handle
            if handle is None or not ITCPHandle.providedBy(handle):
                return None
            peer = self._peer = handle.peername()
            if peer is None:
                return None
        return peer[key]

    def _local_field(self, key: str) -> Any:
        if self.destroyed or self.connecting:
            return None
        local = self._local
        if local is None:
            local = self._local = self.address() or None
            if local is None:
                return None
        return local[key]

    # the peer's and this end's address, port and family ('IPv4'/'IPv6'); None
    # before connecting, on a pipe, and (this end's) once destroyed
    @property
    def remote_address(self) -> Optional[str]:
        return cast(Optional[str], self._peer_field('address'))

    @property
    def remote_port(self) -> Optional[int]:
        return cast(Optional[int], self._peer_field('port'))

    @property
    def remote_family(self) -> Optional[str]:
        return cast(Optional[str], self._peer_field('family'))

    @property
    def local_address(self) -> Optional[str]:
        return cast(Optional[str], self._local_field('address'))

    @property
    def local_port(self) -> Optional[int]:
        return cast(Optional[int], self._local_field('port'))

    @property
    def local_family(self) -> Optional[str]:
        return cast(Optional[str], self._local_field('family'))

    @property
    def auto_select_family_attempted_addresses(self) -> Optional[List[str]]:
        """``'address:port'`` of each attempt of a connect that tried several
        addresses (family autoselection); None until such a connect starts."""
        return self._attempted_addresses

    # -- loop liveness (libuv's active handles) ------------------------------------------------
    def _is_active(self) -> bool:
        """Connecting, reading (not stopped), writing, or closing: as libuv counts a handle."""
        if self.connecting:
            return not self._awaiting_lookup
        if self._handle is not None:
            return bool(self._out) or (self._reading and not self._onread_paused)
        return self._closing

    def _hold_loop(self) -> None:
        """The socket became active: it keeps ``run()`` going (if referenced)."""
        if not self._active:
            self._active = True
            if self._refd:
                self._loop.ref_handle(self)

    def _may_go_idle(self) -> None:
        """Activity may have stopped: check once this socket's greenlet has nothing queued.

        The check waits for the greenlet to park, so that the ticks that
        follow (an ``'end'``, the writes of a listener) run before ``run()``
        may return.
        """
        runner = self._runner
        runner.idle_check = True
        if getcurrent() is not runner.glet:
            runner.wake()

    def _on_idle(self) -> None:
        """The greenlet is about to park: release the loop if nothing is active."""
        if self._active and not self._is_active():
            self._active = False
            self._loop.unref_handle(self)

    # -- signal ---------------------------------------------------------------------------------
    def _watch_signal(self, signal: Any) -> None:
        if signal.aborted:
            loop.next_tick(self._on_abort, signal)
        else:
            signal.once('abort', lambda *_: self._on_abort(signal))

    def _on_abort(self, signal: Any) -> None:
        if not self.destroyed:
            self.destroy(errors.AbortError(cause=signal.reason))

    # -- Python conveniences ------------------------------------------------------------------
    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.destroy()

    def __repr__(self) -> str:
        where = self._path or (self._peer and '%s:%s' % (self._peer['address'], self._peer['port']))
        return '<gnet.Socket %s %s>' % (self.ready_state, where or '')

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    destroySoon = destroy_soon
    resetAndDestroy = reset_and_destroy
    setEncoding = set_encoding
    setTimeout = set_timeout
    setNoDelay = set_no_delay
    setKeepAlive = set_keep_alive
    readyState = ready_state
    bytesRead = bytes_read
    bytesWritten = bytes_written
    bufferSize = buffer_size
    remoteAddress = remote_address
    remotePort = remote_port
    remoteFamily = remote_family
    localAddress = local_address
    localPort = local_port
    localFamily = local_family
    autoSelectFamilyAttemptedAddresses = auto_select_family_attempted_addresses


class _ReadableStreamEnd(weakref.ref):  # type: ignore[type-arg]
    """Node's ``onReadableStreamEnd``, the ``'end'`` listener every socket has.

    With ``allow_half_open`` off at ``'end'`` it makes later writes Node's
    ``writeAfterFIN`` (EPIPE); ending our side is the stream's own
    ``end_readable_nt``, as in Node.  A weak reference to its socket (one
    object, made per socket): a listener must not make a cycle that only the
    garbage collector could free.
    """

    __slots__ = ()

    def __call__(self) -> None:
        socket = weakref.ref.__call__(self)
        if socket is not None and not socket.allow_half_open:
            socket._write_after_fin = True
