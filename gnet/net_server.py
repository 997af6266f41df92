"""Node's ``net.Server``: listen in every form, the accept loop, close, limits.

Owns: ``listen`` argument forms and their timing, the accept greenlet
(with back-off when out of descriptors), ``max_connections``/``'drop'``,
``block_list``, ``pause_on_connect``, the connection count and
close-if-drained, and the graceful ``shutdown`` extension.
Must not import: anything above it (the package ``__init__`` imports this).

Timing, as in Node: a port without a host, or a path, binds inside
``listen()`` (``address()`` works on the next line); a host is looked up
first, even an IP literal, so ``address()`` is None until ``'listening'``.
``'listening'``, the callback and listen errors are always asynchronous.
"""

import _socket
import errno
import logging
import os
from typing import Any, Callable, Dict, Optional, Set

from zope.interface import implementer

from . import errors, loop, netargs
from .abort import validate_signal
from .conn_runner import ConnectionRunner
from .events import EventEmitter
from .handle import handle_for, socket_from_fd
from .interfaces import IServer
from .ip import is_ip
from .listen_handle import (CAPACITY_ERRNOS, TRANSIENT_ERRNOS, ListenHandle,
                            PipeListenHandle, TCPListenHandle, listen_handle_for)
from .naming import node_aliases, options as merge_options
from .net_socket import Socket

__all__ = ['Server', 'create_server']

log = logging.getLogger('gnet.server')

#: connections accepted per wake-up before yielding to other greenlets
ACCEPTS_PER_WAKEUP = 64
#: back-off after EMFILE & co: first and longest delay, in milliseconds
BACKOFF_MIN_MS = 10
BACKOFF_MAX_MS = 1000
#: Node's default listen backlog
DEFAULT_BACKLOG = 511


@node_aliases
@implementer(IServer)
class Server(EventEmitter):
    """A TCP or IPC server (Node's ``net.Server``)."""

    def __init__(self, options: Any = None, connection_listener: Optional[Callable[..., Any]] = None,
                 **kwargs: Any):
        EventEmitter.__init__(self)
        if callable(options) and connection_listener is None:
            options, connection_listener = None, options
        if options is not None and not isinstance(options, dict):
            raise errors.ERR_INVALID_ARG_TYPE('options', 'Object', options)
        opts = merge_options(options, **kwargs)
        for name in ('allow_half_open', 'pause_on_connect', 'no_delay', 'keep_alive'):
            netargs.check_bool(opts, name)
        netargs.check_int(opts, 'keep_alive_initial_delay')
        netargs.check_int(opts, 'high_water_mark', minimum=0)
        block_list = opts.get('block_list')
        if block_list is not None and not hasattr(block_list, 'check'):
            raise errors.ERR_INVALID_ARG_TYPE('options.blockList', 'net.BlockList', block_list)
        self.allow_half_open = bool(opts.get('allow_half_open', False))
        self.pause_on_connect = bool(opts.get('pause_on_connect', False))
        self.no_delay = bool(opts.get('no_delay', False))
        self.keep_alive = bool(opts.get('keep_alive', False))
        self.keep_alive_initial_delay = int(opts.get('keep_alive_initial_delay') or 0)
        self.high_water_mark = opts.get('high_water_mark')
        self.block_list = block_list
        self._max_connections: Optional[int] = None
        self._loop = loop.get_loop()
        self._handle: Optional[ListenHandle] = None
        self._runner: Optional[ConnectionRunner] = None
        self._connections: Set[Socket] = set()
        self._refd = True
        self._closing = False          # close() called; 'close' waits for connections
        self._backoff_ms = 0
        self._backoff_timer: Optional[loop.Timeout] = None
        self._listen_seq = 0           # invalidates a lookup still running for an old listen()
        if connection_listener is not None:
            if not callable(connection_listener):
                raise errors.ERR_INVALID_ARG_TYPE('connectionListener', 'Function',
                                                  connection_listener)
            self.on('connection', connection_listener)

    # -- listen -----------------------------------------------------------------------
    def listen(self, *args: Any, **kwargs: Any) -> 'Server':
        """Every form of Node's ``server.listen``; see the module docstring."""
        options, callback = netargs.normalize_args(args, kwargs)
        if self._handle is not None:
            raise errors.ERR_SERVER_ALREADY_LISTEN()
        if callback is not None:
            self.once('listening', callback)
        signal = validate_signal(options.get('signal'))
        if signal is not None:
            if signal.aborted:
                loop.next_tick(self.close)
                return self
            signal.once('abort', lambda *_: self.close())
        backlog = options.get('backlog', DEFAULT_BACKLOG)
        if isinstance(backlog, bool) or not isinstance(backlog, int) or backlog < 0:
            backlog = DEFAULT_BACKLOG
        self._closing = False
        self._listen_seq += 1
        if 'handle' in options or 'fd' in options:
            return self._listen_handle(options.get('handle'), options.get('fd'))
        path = options.get('path')
        if path is not None:
            if not isinstance(path, (str, bytes)):
                raise errors.ERR_INVALID_ARG_TYPE('options.path', 'string', path)
            path = os.fsdecode(path)
            self._bind_now(lambda: PipeListenHandle.bind(
                self._loop.hub, path, backlog, bool(options.get('readable_all')),
                bool(options.get('writable_all'))))
            return self
        port = options.get('port', 0)
        if port is None:
            port = 0
        if isinstance(port, bool) or not isinstance(port, (int, float, str)):
            raise errors.ERR_SOCKET_BAD_PORT('options.port', port)
        port = netargs.validate_port(port, 'options.port')
        host = options.get('host')
        ipv6_only = bool(options.get('ipv6_only'))
        reuse_port = bool(options.get('reuse_port'))
        if host is None or host == '':
            self._bind_now(lambda: self._bind_any(port, backlog, ipv6_only, reuse_port))
            return self
        if not isinstance(host, str):
            raise errors.ERR_INVALID_ARG_TYPE('options.host', 'string', host)
        self._lookup_then_bind(host, port, backlog, ipv6_only, reuse_port)
        return self

    def _bind_any(self, port: int, backlog: int, ipv6_only: bool, reuse_port: bool) -> ListenHandle:
        """No host: ``::`` dual-stack, or ``0.0.0.0`` where IPv6 is unavailable."""
        try:
            return TCPListenHandle.bind(self._loop.hub, '::', port, _socket.AF_INET6, backlog,
                                        ipv6_only, reuse_port)
        except errors.SysError as err:
            if err.errno not in (errno.EAFNOSUPPORT, errno.EADDRNOTAVAIL):
                raise
        return TCPListenHandle.bind(self._loop.hub, '0.0.0.0', port, _socket.AF_INET, backlog,
                                    False, reuse_port)

    def _bind_now(self, make: Callable[[], ListenHandle]) -> None:
        try:
            handle = make()
        except errors.NodeError as err:
            loop.next_tick(self._listen_failed, err)
            return
        self._start(handle)

    def _lookup_then_bind(self, host: str, port: int, backlog: int, ipv6_only: bool,
                          reuse_port: bool) -> None:
        seq = self._listen_seq
        self._loop.ref_handle(self)  # a pending listen keeps run() alive

        def resolve() -> None:
            from gevent import get_hub
            try:
                family = is_ip(host)
                address = host
                if not family:
                    infos = get_hub().resolver.getaddrinfo(host, port, 0, _socket.SOCK_STREAM)
                    family = 6 if infos[0][0] == _socket.AF_INET6 else 4
                    address = infos[0][4][0]
            except Exception as exc:  # noqa: BLE001 - a lookup failure is an 'error'
                self._loop.runner.next_tick(self._lookup_done, seq,
                                            errors.sys_error(exc, 'getaddrinfo', host), None)
                return
            af = _socket.AF_INET6 if family == 6 else _socket.AF_INET

            def make() -> ListenHandle:
                return TCPListenHandle.bind(self._loop.hub, address, port, af, backlog,
                                            ipv6_only, reuse_port)
            self._loop.runner.next_tick(self._lookup_done, seq, None, make)

        import gevent
        gevent.spawn(resolve)

    def _lookup_done(self, seq: int, err: Optional[BaseException],
                     make: Optional[Callable[[], ListenHandle]]) -> None:
        if seq != self._listen_seq or self._handle is not None:
            return  # close() or another listen() came first (close() dropped the ref)
        self._loop.unref_handle(self)
        if err is not None:
            self._listen_failed(err)
            return
        try:
            handle = make()  # type: ignore[misc]
        except errors.NodeError as exc:
            self._listen_failed(exc)
            return
        self._start(handle)

    def _listen_handle(self, handle: Any, fd: Any) -> 'Server':
        if isinstance(handle, dict):
            fd = handle.get('fd')
            handle = None
        if isinstance(handle, Server):
            handle = handle._handle.sock if handle._handle is not None else None
        elif isinstance(handle, Socket):
            handle = handle._handle.sock if handle._handle is not None else None
        if handle is None and fd is not None:
            if isinstance(fd, bool) or not isinstance(fd, int) or fd < 0:
                raise errors.ERR_INVALID_FD_TYPE(fd)
            sock = socket_from_fd(fd)
        elif handle is not None and hasattr(handle, 'fileno'):
            fileno = handle.fileno()
            if fileno < 0:
                raise errors.ERR_INVALID_HANDLE_TYPE()
            sock = socket_from_fd(os.dup(fileno))
        else:
            raise errors.ERR_INVALID_ARG_VALUE('options', handle, 'must have the property "handle"')
        try:
            sock.listen(DEFAULT_BACKLOG)
        except OSError as exc:
            sock.close()
            loop.next_tick(self._listen_failed, errors.sys_error(exc, 'listen'))
            return self
        self._start(listen_handle_for(sock, self._loop.hub))
        return self

    def _listen_failed(self, err: BaseException) -> None:
        self.emit('error', err)

    def _start(self, handle: ListenHandle) -> None:
        self._handle = handle
        if self._refd:
            self._loop.ref_handle(self)
        runner = self._runner = ConnectionRunner(self._loop, self)
        runner.attach(handle)
        runner.start(self._begin_accepting)
        loop.next_tick(self._emit_listening, handle)

    def _emit_listening(self, handle: ListenHandle) -> None:
        if self._handle is handle:
            self.emit('listening')

    def _begin_accepting(self) -> None:
        if self._runner is not None:
            self._runner.want_read()

    # -- the accept loop (runs in the server's greenlet) -----------------------------------
    def _on_readable(self) -> None:
        handle, runner = self._handle, self._runner
        if handle is None or runner is None:
            return
        for _ in range(ACCEPTS_PER_WAKEUP):
            try:
                got = handle.try_accept()
            except OSError as exc:
                if exc.errno in CAPACITY_ERRNOS:
                    self._back_off(exc)
                    return
                if exc.errno in TRANSIENT_ERRNOS:
                    continue
                self.emit('error', errors.sys_error(exc, 'accept'))
                return
            if got is None:
                self._backoff_ms = 0
                runner.want_read()
                return
            self._on_connection(*got)
            if self._handle is None:
                return
        runner.want_read()

    def _back_off(self, exc: OSError) -> None:
        """Out of descriptors: pause accepting for a growing delay, then retry."""
        self._backoff_ms = min(BACKOFF_MAX_MS, max(BACKOFF_MIN_MS, self._backoff_ms * 2))
        log.warning('accept: %s; retrying in %d ms', os.strerror(exc.errno or 0), self._backoff_ms)
        self._backoff_timer = self._loop.set_timeout(self._resume_accepting, self._backoff_ms)
        self._backoff_timer.unref()

    def _resume_accepting(self) -> None:
        self._backoff_timer = None
        if self._runner is not None and self._handle is not None:
            self._runner.want_read()

    def _on_connection(self, sock: Any, peer: Any) -> None:
        is_tcp = sock.family != _socket.AF_UNIX
        if is_tcp and self.block_list is not None:
            family = 'ipv6' if sock.family == _socket.AF_INET6 else 'ipv4'
            if self.block_list.check(peer[0], family):
                sock.close()
                return
        limit = self._max_connections
        if limit is not None and len(self._connections) >= limit:
            info = _drop_info(sock) if is_tcp else None
            sock.close()
            self.emit('drop', info)
            return
        conn = Socket({
            'handle': handle_for(sock, self._loop.hub),
            'allow_half_open': self.allow_half_open,
            'pause_on_create': self.pause_on_connect,
            'high_water_mark': self.high_water_mark,
            'no_delay': self.no_delay,
            'keep_alive': self.keep_alive,
            'keep_alive_initial_delay': self.keep_alive_initial_delay,
            'on_open': self._emit_connection,
        })
        conn._server = self
        self._connections.add(conn)

    def _emit_connection(self, conn: Socket) -> None:
        """In the connection's own greenlet, before it reads anything (S5)."""
        self.emit('connection', conn)

    def _connection_closed(self, conn: Socket) -> None:
        self._connections.discard(conn)
        if self._closing:
            self._emit_close_if_drained()

    # -- close -------------------------------------------------------------------------------
    def close(self, callback: Optional[Callable[..., Any]] = None) -> 'Server':
        """Stop accepting now; ``'close'`` once every connection has ended (S4)."""
        if callback is not None:
            if not callable(callback):
                raise errors.ERR_INVALID_ARG_TYPE('callback', 'Function', callback)
            if self._handle is None:
                self.once('close', lambda *_: callback(errors.ERR_SERVER_NOT_RUNNING()))
            else:
                self.once('close', lambda *_: callback(None))
        self._listen_seq += 1
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()
        if self._backoff_timer is not None:
            self._backoff_timer.close()
            self._backoff_timer = None
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.stop_read()
            runner.finish()
        self._closing = True
        self._emit_close_if_drained()
        return self

    def _emit_close_if_drained(self) -> None:
        if self._handle is not None or self._connections:
            return
        self._closing = False
        self._loop.unref_handle(self)
        loop.next_tick(self.emit, 'close')

    def shutdown(self, timeout_ms: int = 5000, callback: Optional[Callable[..., Any]] = None
                 ) -> 'Server':
        """Extension: close, end every connection, destroy what is left at the deadline."""
        self.close(callback)
        for conn in list(self._connections):
            conn.end()
        if self._connections:
            timer = self._loop.set_timeout(self._destroy_remaining, timeout_ms)
            self.once('close', lambda *_: timer.close())
        return self

    def _destroy_remaining(self) -> None:
        for conn in list(self._connections):
            conn.destroy()

    # -- queries -----------------------------------------------------------------------------
    def address(self) -> Any:
        handle = self._handle
        return None if handle is None else handle.sockname()

    @property
    def listening(self) -> bool:
        return self._handle is not None

    @property
    def max_connections(self) -> Optional[int]:
        return self._max_connections

    @max_connections.setter
    def max_connections(self, value: Optional[int]) -> None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise errors.ERR_INVALID_ARG_TYPE('maxConnections', 'number', value)
        if value is not None and value < 0:
            raise errors.ERR_OUT_OF_RANGE('maxConnections', '>= 0', value)
        self._max_connections = value

    def get_connections(self, callback: Callable[..., Any]) -> 'Server':
        if not callable(callback):
            raise errors.ERR_INVALID_ARG_TYPE('callback', 'Function', callback)
        loop.next_tick(callback, None, len(self._connections))
        return self

    @property
    def connections(self) -> int:
        return len(self._connections)

    def ref(self) -> 'Server':
        self._refd = True
        if self._handle is not None:
            self._loop.ref_handle(self)
        return self

    def unref(self) -> 'Server':
        self._refd = False
        self._loop.unref_handle(self)
        return self

    def _on_uncaught(self, exc: BaseException) -> None:
        self._loop.report(exc, self)

    def _on_writable(self) -> None:  # the accept runner never writes
        pass

    def __enter__(self) -> 'Server':
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._handle is not None:
            self.close()

    def __repr__(self) -> str:
        return '<gnet.Server %s>' % (self.address() if self._handle is not None else 'closed')


def _drop_info(sock: Any) -> Optional[Dict[str, Any]]:
    from .handle import family_name
    try:
        local, remote = sock.getsockname(), sock.getpeername()
    except OSError:
        return None
    fam = family_name(sock.family)
    return {'local_address': local[0], 'local_port': local[1], 'local_family': fam,
            'remote_address': remote[0], 'remote_port': remote[1], 'remote_family': fam}


def create_server(*args: Any, **kwargs: Any) -> Server:
    """``create_server([options][, connection_listener])``."""
    options: Any = None
    listener = None
    for arg in args:
        if isinstance(arg, dict):
            options = arg
        elif callable(arg):
            listener = arg
        else:
            raise errors.ERR_INVALID_ARG_TYPE('options', 'Object', arg)
    return Server(options, listener, **kwargs)
