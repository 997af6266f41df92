"""Node's ``net.Socket``: the Duplex hooks over a stream handle.

Owns: connect in every form (lookup, happy eyeballs, local bind, block
list, signal), the Duplex hooks (``_read``, ``_write``, ``_writev``,
``_final``, ``_destroy``) implemented over a handle (:mod:`gnet.net.handles`), idle timeouts,
no-delay/keep-alive caching, ``ready_state`` and the address properties.
Must not import: the server module (the server imports this one).

Threading model: every socket has a :class:`gnet.runtime.runner.ConnectionRunner` greenlet.
Connect, reads, flushes of queued writes and the listeners of those events
run in it.  ``write()`` called from any greenlet tries a direct send first
and never blocks.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Mapping, Optional, cast

from zope.interface import implementer

from .. import errors
from ..abort import AbortSignal, validate_signal
from ..interfaces import IPipeHandle, ISocket, IStreamHandle, ITCPHandle
from ..naming import node_aliases, options as merge_options
from ..runtime import loop
from ..validators import is_number, js_falsy
from . import args as netargs
from .connect import ConnectPlan
from .handles import PipeHandle, StreamHandle, handle_for, open_fd, unconnected
from .handles.base import unsent_tail
from .ip import is_ip
from .socket_base import READ_SIZE, SocketBase
from .socket_options import (  # noqa: F401 - re-exported
    SocketConfig,
    get_default_auto_select_family,
    get_default_auto_select_family_attempt_timeout,
    set_default_auto_select_family,
    set_default_auto_select_family_attempt_timeout,
    tcp_connect_options,
)

__all__ = ['Socket', 'create_connection', 'connect', 'get_default_auto_select_family',
           'set_default_auto_select_family', 'get_default_auto_select_family_attempt_timeout',
           'set_default_auto_select_family_attempt_timeout']

log: logging.Logger = logging.getLogger('gnet.socket')

#: reads per wake-up before yielding to other connections (fairness)
READS_PER_WAKEUP = 16

@node_aliases
@implementer(ISocket)
class Socket(SocketBase):
    """A TCP or IPC stream socket (Node's ``net.Socket``)."""

    __slots__ = ()

    def __init__(self, options: Any = None, **kwargs: Any):
        if is_number(options):
            options = {'fd': options}  # Node's legacy new Socket(fd)
        elif not isinstance(options, Mapping):
            options = None  # Node spreads any other value ({...'ab'}): no options
        opts = merge_options(options, **kwargs)
        self._setup(SocketConfig(opts), opts.get('signal'))
        fd = opts.get('fd')
        handle = opts.get('handle')
        if fd is not None:
            handle = open_fd(fd, self._loop.hub)  # a socket, a pipe or a FIFO, as in Node
        if handle is not None:
            self._open(handle if IStreamHandle.providedBy(handle)  # a handle (or a fake of one)
                       else handle_for(handle, self._loop.hub),
                       opts.get('on_open'), bool(opts.get('pause_on_create')))

    @classmethod
    def _accepted(cls, config: 'SocketConfig', handle: StreamHandle,
                  on_open: Optional[Callable[..., Any]], paused: bool,
                  server_loop: loop.Loop) -> 'Socket':
        """A server's connection: options validated once per server (``config``)."""
        sock = cls.__new__(cls)
        sock._setup(config, None, server_loop)
        sock._open(handle, on_open, paused)
        return sock

    def _open(self, handle: IStreamHandle, on_open: Optional[Callable[..., Any]],
              paused: bool) -> None:
        """Adopt a connected handle and start the greenlet (``on_open`` first)."""
        self._adopt(handle)
        if paused:
            self._readable_state.flowing = False
        self._runner.idle_check = True  # held until its greenlet has started reading
        self._runner.start(lambda: self._opened(on_open, paused))

    # -- adopting a connected handle ------------------------------------------------
    def _adopt(self, handle: IStreamHandle) -> None:
        self._handle = handle
        self._runner.attach(handle)
        self._hold_loop()
        if ITCPHandle.providedBy(handle):
            self._apply_tcp_options(handle)  # addresses are read lazily (two syscalls)
        else:
            self._path = cast(PipeHandle, handle).path() if IPipeHandle.providedBy(handle) else None

    def _apply_tcp_options(self, handle: Any) -> None:
        try:
            if self._no_delay:
                handle.set_no_delay(True)
            if self._keep_alive:
                handle.set_keep_alive(True, self._keep_alive_delay)
        except OSError as exc:  # a closed or odd descriptor: options are best effort
            log.debug('socket option failed: %s', exc)

    def _opened(self, on_open: Optional[Callable[..., Any]], paused: bool) -> None:
        """First job of an adopted socket's greenlet: announce it, then read.

        A server's ``on_open`` starts reading itself before ``'connection'``
        (:meth:`_start_reading`), once a PROXY header is off the wire.
        """
        if on_open is not None:
            on_open(self)
        if not paused:
            self._start_reading()

    def _start_reading(self) -> None:
        """Node's first ``read(0)``; an accepted socket's comes before ``'connection'``,
        so a listener that pauses still gets the peer's bytes buffered."""
        if self.readable and not self.is_paused():
            self.read(0)

    # -- connect ------------------------------------------------------------------------
    def connect(self, *args: Any, **kwargs: Any) -> 'Socket':
        """Connect in any of Node's forms; ``'connect'`` follows (C1)."""
        options, callback = netargs.normalize_args(args, kwargs)
        if self.connecting or (self._handle is not None and not self.destroyed
                               and not self._handle.unconnected):  # Node connects an fd's handle
            raise errors.ERR_SOCKET_CLOSED() if self.destroyed else errors.NodeError(
                'Socket is already connected or connecting', code='ERR_SOCKET_CONNECTING')
        if self.destroyed:
            self._revive()
        path = options.get('path')
        if path is None and options.get('port') is None:
            raise errors.ERR_MISSING_ARGS('options" or "port" or "path')
        self._write_after_fin = False  # Node's connect() restores Socket.prototype.write
        if callback is not None:
            self.once('connect', callback)
        timeout = options.get('timeout')
        if not js_falsy(timeout):  # Node's `if (options.timeout)`: 0 and NaN set nothing
            self.set_timeout(timeout)
        if options.get('signal') is not None and self.signal is None:
            self.signal: Optional[AbortSignal] = validate_signal(options['signal'])
            self._watch_signal(self.signal)
        if options.get('block_list') is not None:
            self._block_list = options['block_list']
        if path is not None:
            if not isinstance(path, (str, bytes)):
                raise errors.ERR_INVALID_ARG_TYPE('options.path', 'string', path)
            start = self._pipe_starter(path)
        else:
            start = self._tcp_starter(options)  # validates before anything starts
        self.connecting: bool = True
        self._hold_loop()
        start()
        return self

    def _pipe_starter(self, path: Any) -> Callable[[], None]:
        self._path = path
        return lambda: self._runner.start(lambda: self._connect_pipe(path))

    def _tcp_starter(self, options: Dict[str, Any]) -> Callable[[], None]:
        host, port, family, local_address, local_port, lookup, auto, attempt_ms, hints = \
            tcp_connect_options(options)
        plan = ConnectPlan(self, host, port, family, hints, auto,
                            max(10, int(attempt_ms)), local_address, local_port)
        if is_ip(host):
            return lambda: self._runner.start(lambda: plan.connect_to([(host, is_ip(host))]))
        if lookup is not None:
            def start_with_custom_lookup() -> None:
                self._runner.start(None)
                plan.custom_lookup(lookup)
            return start_with_custom_lookup
        return lambda: self._runner.start(plan.default_lookup)

    def _connect_pipe(self, path: Any) -> None:
        if self.destroyed:
            return
        adopted = self._handle  # Socket({fd}): Node connects the descriptor's own handle
        try:
            handle = unconnected(adopted, PipeHandle) or PipeHandle.new(self._loop.hub)
        except OSError as exc:  # socket() out of descriptors: Node's 'connect EMFILE <path>'
            self.destroy(errors.sys_error(exc, 'connect', path))
            return
        if adopted is not None and adopted is not handle:
            adopted.close()
        self._handle = handle
        self._runner.attach(handle)
        try:
            state = handle.start_connect(path)
        except errors.NodeError as err:
            self.destroy(err)
            return
        self._await_connect(path, state, None)

    def _await_connect(self, address: Any, state: Optional[int],
                       on_fail: Optional[Callable[[BaseException], None]]) -> None:
        """Finish a non-blocking connect when the write watcher fires."""
        self._connect_address = address
        self._connect_on_fail = on_fail
        if state == 0:
            self._connected()
        else:
            self._runner.want_write()

    def _finish_connect(self) -> None:
        handle = self._handle
        address = self._connect_address
        try:
            handle.finish_connect(address)  # type: ignore[union-attr]
        except errors.NodeError as err:
            on_fail = self._connect_on_fail
            if on_fail is not None:
                on_fail(err)
            else:
                self.destroy(err)
            return
        self._connected()

    def _connected(self) -> None:
        """Node's afterConnect: 'connect', 'ready', flush, start reading."""
        handle = self._handle
        self.connecting = False
        self._connect_on_fail = None
        if self._attempt_timer is not None:
            self._attempt_timer.close()
            self._attempt_timer = None
        self._peer = self._local = None  # of this connection: read again on demand
        if ITCPHandle.providedBy(handle):
            self._apply_tcp_options(handle)
        self._touch()
        self.emit('connect')
        self.emit('ready')
        pending, self._pending_write = self._pending_write, None
        if pending is not None and not self.destroyed:
            method, args = pending
            method(*args)
        if self._reset_on_destroy and not self.destroyed:
            self.destroy()
            return
        if self.readable and not self.is_paused() and not self.destroyed:
            self.read(0)
        if self._reading and not self.destroyed:  # _read ran while connecting
            self._runner.want_read()
        self._may_go_idle()  # paused: connected, but not reading (nothing holds run())

    # -- Duplex hooks ----------------------------------------------------------------------
    def _read(self, size: int) -> None:
        self._reading = True
        if self._handle is not None and not self.connecting and not self._onread_paused:
            if not self._active:
                self._hold_loop()
            self._runner.want_read()

    def _on_readable(self) -> None:
        """In the runner: read until the kernel would block or the stream is full."""
        handle = self._handle
        if handle is None or self._readable_state.destroyed or not self._reading:
            return
        onread = self._onread
        for _ in range(READS_PER_WAKEUP):
            try:
                if onread is None:
                    size = self._read_size
                    data = handle.try_read(size)
                    count = None if data is None else len(data)
                else:
                    buf = onread['buffer']
                    if callable(buf):
                        buf = buf()
                    count = handle.try_read_into(buf)
            except errors.NodeError as err:
                self.destroy(err)
                return
            if count is None:
                self._runner.want_read()
                return
            if count == 0:
                self._reading = False
                self._may_go_idle()
                self.push(None)
                self.read(0)  # as Node's onStreamRead: 'end' even if nobody reads
                return
            if onread is None:
                short = count < size
                if not short and size < handle.read_size_max:
                    self._read_size = size * 2
                elif short and size > READ_SIZE and count <= READ_SIZE:
                    self._read_size = READ_SIZE
            else:
                short = count < len(buf)
            self._bytes_read += count
            if self._timeout_ms:
                self._touch()
            if onread is None:
                more = self.push(data)
            else:
                # False, or pause() inside the callback: Node's readStop(), at once
                more = onread['callback'](count, buf) is not False and not self._onread_paused
                if not more:
                    self._onread_paused = True
            if not more or not self._reading or self._readable_state.destroyed:
                if not more and onread is None:
                    self._reading = False  # the stream is full: _read() restarts us
                    self._may_go_idle()
                return
            if short:  # the kernel had less than we asked for: wait, don't recv again
                break
        self._runner.want_read()

    def _write(self, chunk: Any, encoding: Optional[str], callback: Callable[..., Any]) -> None:
        self._write_generic([chunk], callback)

    def _writev(self, chunks: List[Any], callback: Callable[..., Any]) -> None:
        self._write_generic([c[0] if isinstance(c, tuple) else c for c in chunks], callback)

    def _write_generic(self, buffers: List[Any], callback: Callable[..., Any]) -> None:
        if self.connecting:
            self._pending_write = (self._write_generic, (buffers, callback))
            return
        handle = self._handle
        if handle is None or handle.fileno < 0:
            callback(errors.ERR_SOCKET_CLOSED())
            return
        try:
            if len(buffers) == 1:
                data = buffers[0]
                sent = handle.try_write(data)
                total = len(data)
            else:
                sent = handle.try_writev(buffers)
                total = sum(len(b) for b in buffers)
        except errors.NodeError as err:
            callback(err)
            return
        if self._timeout_ms and sent:
            self._touch()
        if sent == total:
            callback(None)
            return
        self._out = unsent_tail(buffers, sent)
        self._out_cb = callback
        if not self._active:
            self._hold_loop()
        self._runner.want_write()

    def _on_writable(self) -> None:
        """In the runner: finish a connect, or flush the write in flight."""
        if self.connecting:
            self._finish_connect()
            return
        handle = self._handle
        out = self._out
        callback = self._out_cb
        if not out or callback is None or handle is None:
            return
        try:
            sent = handle.try_write(out[0]) if len(out) == 1 else handle.try_writev(out)
        except errors.NodeError as err:
            self._out, self._out_cb = (), None
            callback(err)
            return
        if sent and self._timeout_ms:
            self._touch()
        remaining = unsent_tail(out, sent)
        if remaining:
            self._out = remaining
            self._runner.want_write()
            return
        self._out, self._out_cb = (), None
        self._may_go_idle()
        callback(None)

    def _final(self, callback: Callable[..., Any]) -> None:
        if self.pending or self.connecting:
            self.once('connect', lambda: self._final(callback))
            return
        handle = self._handle
        if handle is None:
            callback(None)
            return
        try:
            handle.shutdown_write()
        except errors.NodeError as err:
            callback(err)
            return
        callback(None)

    def _destroy(self, err: Optional[BaseException], callback: Callable[..., Any]) -> None:
        # Node: a socket that never had a handle closes on a tick, 'close' with no argument
        never_connected = self._handle is None and not self.connecting
        self.connecting = False
        if self._timer is not None:
            self._timer.close()
            self._timer = None
        if self._attempt_timer is not None:
            self._attempt_timer.close()
            self._attempt_timer = None
        handle = self._handle
        in_flight, self._out_cb = self._out_cb, None
        self._out = ()
        had_error: Optional[bool] = None if never_connected else err is not None
        if handle is not None:
            self._bytes_written = handle.bytes_written
            if self._reset_on_destroy and ITCPHandle.providedBy(handle):
                handle.reset()
            else:
                handle.close()
            self._handle = None
        callback(err)
        if in_flight is not None:  # the write the kernel never finished taking
            loop.next_tick(in_flight, err or errors.ERR_STREAM_DESTROYED('write'))
        server, self._server = self._server, None
        if server is not None:  # as Node: the count drops in _destroy, before 'close'
            server._connection_closed(self)
        # like Node's handle-close callback, 'close' comes a loop turn later, on
        # the executor where the stream queued its 'error' (so it follows it);
        # run() waits for it, as libuv waits for closing handles
        self._active = self._closing = True
        self._loop.ref_handle(self)
        runner = self._runner
        executor = loop.current_executor()
        if executor is runner:
            runner.finish(self._emit_close, had_error)
        else:
            self._loop.hub.loop.run_callback(executor.next_tick, self._emit_close, had_error)
            runner.finish()

    def _emit_close(self, had_error: Optional[bool]) -> None:
        wstate = self._writable_state
        wstate.close_emitted = True
        self._readable_state.close_emitted = True
        # nothing writes any more: break the state -> onwrite -> socket cycle,
        # so that a closed socket is freed by reference counting
        wstate.onwrite = _ignore_write_callback
        self._active = self._closing = False
        self._loop.unref_handle(self)
        pending, self._pending_write = self._pending_write, None
        if pending is not None:  # a write made while connecting (Node answers it at 'close')
            pending[1][1](errors.ERR_SOCKET_CLOSED_BEFORE_CONNECTION())
        self.emit('close', had_error)

    def _on_killed(self) -> None:
        """Our greenlet was killed (gevent.kill): re-arm what it was waiting for."""
        if self.destroyed or self._handle is None:
            return
        if self._out or self.connecting:
            self._runner.want_write()
        if self._reading and not self._onread_paused and not self.connecting:
            self._runner.want_read()

    def _on_uncaught(self, exc: BaseException) -> None:
        """A listener of this socket raised: the loop's rule (``Loop.report``) decides.

        Fatal (``run()`` raises it): the socket is destroyed.  Taken by an
        ``'uncaughtException'`` handler: the socket serves on, as in Node
        (what the raise cut short -- re-arming a read, the first read after
        ``'connection'`` -- is done again).
        """
        if self._loop.report(exc, self):
            self._on_killed()
            loop.next_tick(self._start_reading)  # a tick: what it emits follows the rule again
        elif not self.destroyed:
            self.destroy()


def _ignore_write_callback(err: Optional[BaseException] = None) -> None:
    """A closed socket's write callback: every write has already been answered."""


def create_connection(*args: Any, **kwargs: Any) -> Socket:
    """``create_connection(options | path | port[, host][, connect_listener])``."""
    options, callback = netargs.normalize_args(args, kwargs)
    sock_opts: Dict[str, Any] = {key: options[key] for key in (
        'allow_half_open', 'readable', 'writable', 'signal', 'onread', 'no_delay',
        'keep_alive', 'keep_alive_initial_delay', 'high_water_mark', 'readable_high_water_mark',
        'writable_high_water_mark', 'block_list', 'fd',
        'object_mode', 'readable_object_mode', 'writable_object_mode')  # refused, as Node
        if key in options}
    sock = Socket(sock_opts)
    if not js_falsy(options.get('timeout')):  # Node's `if (options.timeout)`
        sock.set_timeout(options['timeout'])
    connect_opts = {k: v for k, v in options.items() if k not in ('fd', 'timeout')}
    return sock.connect(connect_opts, callback) if callback else sock.connect(connect_opts)


connect = create_connection
