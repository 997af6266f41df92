"""Node's ``net.Server``: listen in every form, the accept loop, close, limits.

Owns: ``listen`` argument forms and their timing, the accept greenlet
(with back-off when out of descriptors), ``max_connections``/``'drop'``,
``block_list``, ``pause_on_connect``, the connection count and
close-if-drained, and the graceful ``shutdown`` extension.
Must not import: the cluster (it hooks ``cluster_listen``), the CLI.

Timing, as in Node: a port without a host, a path or a handle binds inside
``listen()`` (``address()`` works on the next line); a host is looked up
first, even an IP literal, so ``address()`` is None until ``'listening'``.
``'listening'``, the callback and listen errors are always asynchronous;
after an error ``listen()`` may be called again, and a callback given to
the failed call fires when a later ``listen()`` succeeds.

The accept loop runs in the server's own greenlet by the policy of :mod:`gnet.net.accept`
(a fatal error is also an ``'error'`` event).  Each accepted socket runs in a greenlet of
its own, which emits ``'connection'`` before the socket reads anything.
"""

import logging
import os
from typing import Any, Callable, Dict, Optional, Set, Tuple, Type

import _socket
from zope.interface import implementer

from .. import errors
from ..abort import validate_signal
from ..events import EventEmitter
from ..interfaces import IServer, ITCPHandle
from ..naming import node_aliases, options as merge_options
from ..proxy.gate import read_header
from ..runtime import loop
from ..runtime.runner import ConnectionRunner
from . import accept, args as netargs
from .dns import lookup_first
from .handles.base import StreamHandle, drop_info
from .handles.listen import (
    ListenHandle,
    PipeListenHandle,
    TCPListenHandle,
    adopt_listen_handle,
    bind_unspecified,
)
from .server_options import ServerOptions
from .socket import Socket

__all__ = ['Server', 'create_server']

log: logging.Logger = logging.getLogger('gnet.server')


MakeHandle = Callable[..., ListenHandle]

#: set by gnet.cluster in a worker process: TCP and Unix-path listens go through the primary.
#: ``(server, address, port, family, backlog, ipv6_only, reuse_port, exclusive,
#: readable_all=False, writable_all=False) -> ListenHandle``; a Unix path comes as
#: ``(server, path, -1, AF_UNIX, backlog, False, False, exclusive, readable_all=..,
#: writable_all=..)``.  Raises SysError as a bind would.
cluster_listen: Optional[Callable[..., ListenHandle]] = None


@node_aliases
@implementer(IServer)
class Server(ServerOptions):
    """A TCP or IPC server (Node's ``net.Server``); its options are :class:`ServerOptions`."""

    _connection_class: Type[Socket] = Socket  # an accepted connection's class (TLS: TLSSocket)

    def __init__(self, options: Any = None, connection_listener: Optional[Callable[..., Any]] = None,
                 **kwargs: Any):
        EventEmitter.__init__(self)
        if callable(options) and connection_listener is None:
            options, connection_listener = None, options
        if isinstance(options, (list, tuple)):
            options = None  # a JS array: an object with none of the options
        if options is not None and not isinstance(options, dict):
            raise errors.ERR_INVALID_ARG_TYPE('options', 'Object', options)
        opts = merge_options(options, **kwargs)
        netargs.check_server_options(opts)
        self._set_options(opts)
        #: read a PROXY protocol header (v1/v2) before 'connection' (gnet.proxy.gate.read_header),
        #: waiting proxy_protocol_timeout ms for it (a number in 1..2**31-1; default 5000)
        self.proxy_protocol: bool = bool(opts.get('proxy_protocol', False))
        self.proxy_protocol_timeout = opts.get('proxy_protocol_timeout') or 5000
        self._handed_off = 0           # connections sent to another process, still open there
        self._max_connections: Optional[int] = None
        self._loop = loop.get_loop()
        self._handle: Optional[ListenHandle] = None
        self._runner: Optional[ConnectionRunner] = None   # the accept greenlet's executor
        self._connections: Set[Socket] = set()
        self._refd = True
        self._closing = False          # close() called; 'close' waits for connections
        self._lookup_pending = False   # listen() with a host is resolving it
        self._backoff = accept.Backoff()  # the accept back-off (gnet.net.accept)
        self._backoff_timer: Optional[loop.Timeout] = None
        self._listen_seq = 0           # invalidates a lookup still running for an old listen()
        if connection_listener is not None:
            if not callable(connection_listener):
                raise errors.ERR_INVALID_ARG_TYPE('connectionListener', 'Function',
                                                  connection_listener)
            self.on('connection', connection_listener)

    # -- listen -----------------------------------------------------------------------
    def listen(self, *args: Any, **kwargs: Any) -> 'Server':
        """Every form of Node's ``server.listen``; see the module docstring.

        ``listen(handle[, backlog][, cb])`` (a Server, a Socket, a Python
        socket or ``{'fd': n}``), ``listen(options[, cb])``,
        ``listen(path[, backlog][, cb])``, ``listen([port[, host[, backlog]]][, cb])``;
        keyword arguments are options.  Bad arguments raise, as Node throws.
        """
        if args and isinstance(args[0], (Server, Socket)):
            args = ({'handle': args[0]},) + tuple(args[1:])
        options, callback = netargs.normalize_args(args, kwargs)
        if self._handle is not None:
            raise errors.ERR_SERVER_ALREADY_LISTEN()
        signal = validate_signal(options.get('signal'))
        bare = not kwargs and (not args or callable(args[0]))
        host, make = self._listen_plan(options, netargs.backlog_of(options, args), bare)
        if callback is not None:
            self.once('listening', callback)
        self._listen_seq += 1          # a lookup still running for an older call is void
        self._lookup_pending_is(False)  # a void lookup no longer holds run()
        self._closing = False
        self._watch_signal(signal)
        if host is None:
            self._bind_now(make)
        else:
            self._lookup_then_bind(host, make)
        return self

    def _listen_plan(self, options: Dict[str, Any], backlog: int,
                     bare: bool) -> Tuple[Optional[str], MakeHandle]:
        """Validate as Node does; return ``(host to look up or None, handle maker)``."""
        hub = self._loop.hub
        handle = options.get('_handle') or options.get('handle')
        if handle is not None:
            fileno = netargs.handle_fileno(handle)
            return None, lambda: adopt_listen_handle(fileno, hub, backlog, dup=True)
        fd = options.get('fd')
        if isinstance(fd, int) and not isinstance(fd, bool) and fd >= 0:
            return None, lambda: adopt_listen_handle(fd, hub, backlog, dup=False)
        if bare or ('port' in options and options['port'] is None):
            options['port'] = 0
        port = options.get('port')
        if isinstance(port, (int, float, str)) and not isinstance(port, bool):
            return self._tcp_plan(options, netargs.validate_port(port, 'options.port'), backlog)
        path = options.get('path')
        if isinstance(path, bytes) and path:
            path = os.fsdecode(path)
        if path and netargs.is_pipe_name(path):
            readable_all = options.get('readable_all') is True
            writable_all = options.get('writable_all') is True
            exclusive = options.get('exclusive') is True

            def bind_pipe() -> ListenHandle:
                hook = cluster_listen
                if hook is not None:  # a cluster worker: the primary binds the path once
                    return hook(self, path, -1, _socket.AF_UNIX, backlog, False, False, exclusive,
                                readable_all=readable_all, writable_all=writable_all)
                return PipeListenHandle.bind(hub, path, backlog, readable_all, writable_all)
            return None, bind_pipe
        if 'port' not in options and 'path' not in options:
            raise errors.ERR_INVALID_ARG_VALUE('options', options,
                                               'must have the property "port" or "path"')
        raise errors.ERR_INVALID_ARG_VALUE('options', options)

    def _tcp_plan(self, options: Dict[str, Any], port: int,
                  backlog: int) -> Tuple[Optional[str], MakeHandle]:
        host = options.get('host') or None
        if host is not None and not isinstance(host, str):
            raise errors.ERR_INVALID_ARG_TYPE('options.host', 'string', host)
        ipv6_only = options.get('ipv6_only') is True
        reuse_port = options.get('reuse_port') is True
        exclusive = options.get('exclusive') is True
        hub = self._loop.hub

        def bind(address: str, family: int) -> ListenHandle:
            hook = cluster_listen
            if hook is not None:
                return hook(self, address, port, family, backlog, ipv6_only, reuse_port, exclusive)
            return TCPListenHandle.bind(hub, address, port, family, backlog, ipv6_only, reuse_port)
        if host is None:
            return None, lambda: bind_unspecified(bind)
        return host, bind

    def _bind_now(self, make: MakeHandle, *args: Any) -> None:
        """Bind inside this call; a failure becomes an asynchronous ``'error'``."""
        try:
            handle = make(*args)
        except errors.NodeError as err:
            loop.next_tick(self.emit, 'error', err)
            return
        self._start(handle)

    def _lookup_then_bind(self, host: str, bind: MakeHandle) -> None:
        from gevent import spawn
        self._lookup_pending_is(True)
        spawn(self._resolve, self._listen_seq, host, bind)

    def _lookup_pending_is(self, pending: bool) -> None:
        """A lookup in flight keeps run() alive even if unref'd (libuv's active request)."""
        if pending != self._lookup_pending:
            self._lookup_pending = pending
            (self._loop._add_ref if pending else self._loop._drop_ref)()

    def _resolve(self, seq: int, host: str, bind: MakeHandle) -> None:
        """In a helper greenlet: look ``host`` up, then bind on the loop's runner."""
        try:
            address, family = lookup_first(host)
        except Exception as exc:  # noqa: BLE001 - a lookup failure is an 'error'
            err = errors.sys_error(exc, 'getaddrinfo', host)
            self._loop.runner.next_tick(self._lookup_done, seq, err, bind, None)
            return
        self._loop.runner.next_tick(self._lookup_done, seq, None, bind, (address, family))

    def _lookup_done(self, seq: int, err: Optional[BaseException], bind: MakeHandle,
                     where: Optional[Tuple[str, int]]) -> None:
        if seq != self._listen_seq or self._handle is not None:
            return  # close() or another listen() came first
        self._lookup_pending_is(False)
        if err is not None:
            self.emit('error', err)
        else:
            self._bind_now(bind, *where)  # type: ignore[misc]

    def _watch_signal(self, signal: Any) -> None:
        """Node's abort-signal option: aborting closes the server (until it closes)."""
        if signal is None:
            return
        if signal.aborted:
            loop.next_tick(self.close)
            return

        def on_abort(*_: Any) -> None:
            self.close()
        signal.once('abort', on_abort)
        self.once('close', lambda *_: signal.remove_listener('abort', on_abort))

    def _start(self, handle: ListenHandle) -> None:
        self._handle = handle
        if self._refd:
            self._loop.ref_handle(self)
        runner = self._runner = ConnectionRunner(self._loop, self)
        runner.attach(handle)
        runner.start(runner.want_read)
        loop.next_tick(self._emit_listening, handle)

    def _emit_listening(self, handle: ListenHandle) -> None:
        if self._handle is handle:  # not closed meanwhile
            self.emit('listening')

    # -- the accept loop (runs in the server's greenlet) -----------------------------------
    def _on_readable(self) -> None:
        """Accept a batch; wait for more unless closed or backing off."""
        if self._accept_batch() and self._runner is not None:
            self._runner.want_read()

    def _accept_batch(self) -> bool:
        """Up to ``accept.ACCEPTS_PER_WAKEUP`` connections; False when accepting must not resume now."""
        handle = self._handle
        if handle is None:
            return False
        outcome, err = accept.accept_batch(handle, self._on_connection)
        if outcome is accept.Outcome.DRAINED:
            self._backoff.reset()
        elif err is not None:
            self._accept_failed(err)
        return outcome in (accept.Outcome.DRAINED, accept.Outcome.BUSY) and self._handle is handle

    def _accept_failed(self, exc: OSError) -> None:
        """Back off; a fatal error (not out of resources) is also an ``'error'``."""
        self._cancel_backoff()
        self._backoff_timer = self._loop.set_timeout(self._resume_accepting,
                                                     self._backoff.next_ms(exc)).unref()
        if accept.classify(exc) is accept.Kind.FATAL:
            self._emit_safely('error', errors.sys_error(exc, 'accept'))

    def _resume_accepting(self) -> None:
        self._backoff_timer = None
        if self._runner is not None and self._handle is not None:
            self._runner.want_read()

    def _cancel_backoff(self) -> None:
        if self._backoff_timer is not None:
            self._backoff_timer.close()
            self._backoff_timer = None

    def _emit_safely(self, event: str, *args: Any) -> None:
        """Emit from the accept loop: a raising listener is reported, accepting goes on."""
        try:
            self.emit(event, *args)
        except Exception as exc:  # noqa: BLE001 - the uncaught-exception rule
            self._loop.report(exc, self)

    def _emit_drop(self, info: Any) -> None:  # in the hub: on to a greenlet
        (self._runner or self._loop.runner).next_tick(self._emit_safely, 'drop', info)

    def _on_connection(self, handle: StreamHandle, peer: Any) -> None:
        """Block list, then ``max_connections``, then a Socket in its own greenlet."""
        is_tcp = ITCPHandle.providedBy(handle)
        if is_tcp and self._blocked(peer):
            handle.close()
            return
        limit = self._max_connections
        if limit is not None and len(self._connections) >= limit:
            info = drop_info(handle) if is_tcp else None
            handle.close()
            # a hub turn later: after the 'connection' of those accepted before it, as in Node
            self._loop.hub.loop.run_callback(self._emit_drop, info)
            return
        try:
            conn = self._connection_class._accepted(self._connection_config(), handle,
                                                    self._emit_connection, self.pause_on_connect,
                                                    self._loop)
        except BaseException:
            handle.close()  # never leak the descriptor; the error is the accept loop's uncaught one
            raise
        conn._server = self
        self._connections.add(conn)

    def _blocked(self, peer: Any) -> bool:
        block_list = self.block_list
        if block_list is None or not isinstance(peer, tuple):
            return False
        family = 'ipv6' if len(peer) == 4 else 'ipv4'  # inet6 sockaddrs are 4-tuples
        return bool(block_list.check(peer[0], family))

    def _emit_connection(self, conn: Socket) -> None:
        """In the connection's own greenlet, before it reads anything (S5)."""
        if self.proxy_protocol:
            if read_header(conn, self.proxy_protocol_timeout) is None:
                return  # no valid header: closed, the reason logged on gnet.proxy_protocol
        conn._start_reading()  # as Node: reading has started when 'connection' is emitted
        self.emit('connection', conn)

    def _connection_closed(self, conn: Socket) -> None:
        self._connections.discard(conn)
        if self._handle is not None:  # a descriptor was freed: the spare, if lost, comes first
            self._handle.retake_reserve()
        if self._closing:
            self._emit_close_if_drained()

    # -- close -------------------------------------------------------------------------------
    def close(self, callback: Optional[Callable[..., Any]] = None) -> 'Server':
        """Stop accepting now; ``'close'`` once every connection has ended (S4).

        ``callback(err)`` runs at ``'close'``; ``err`` is ERR_SERVER_NOT_RUNNING
        if the server was not listening.  A non-callable is ignored, as in Node.
        """
        if callable(callback):
            if self._handle is None:
                self.once('close', lambda *_: callback(errors.ERR_SERVER_NOT_RUNNING()))
            else:
                self.once('close', lambda *_: callback(None))
        self._listen_seq += 1
        self._lookup_pending_is(False)
        self._stop_accepting()
        self._loop.unref_handle(self)  # a closed listener holds nothing; its connections may
        self._closing = True
        self._emit_close_if_drained()
        return self

    def _stop_accepting(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()
        self._cancel_backoff()
        self._backoff.reset()
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.stop_read()
            runner.finish()

    def _emit_close_if_drained(self) -> None:
        if self._handle is not None or self._connections:
            return
        self._closing = False
        self._loop.unref_handle(self)
        loop.next_tick(self.emit, 'close')

    def shutdown(self, timeout_ms: int = 5000, callback: Optional[Callable[..., Any]] = None
                 ) -> 'Server':
        """Extension: close, end every connection, destroy those left at the deadline.

        ``callback`` is :meth:`close`'s; ``'close'`` follows once every
        connection has closed, at the latest ``timeout_ms`` after the call.
        """
        netargs.validate_number(timeout_ms, 'timeout_ms', 0, netargs.INT32_MAX)
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
        """``{'address', 'family', 'port'}``, the path for IPC, or None when not listening."""
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
        """None (no limit) or an integer >= 0 (``validateInteger``; Node 20 stores anything)."""
        self._max_connections = None if value is None else netargs.validate_integer(
            value, 'maxConnections', 0)

    def get_connections(self, callback: Callable[..., Any]) -> 'Server':
        """``callback(None, count)``, asynchronously (S6)."""
        if not callable(callback):
            raise errors.ERR_INVALID_ARG_TYPE('callback', 'Function', callback)
        loop.next_tick(callback, None, len(self._connections) + self._handed_off)
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

    def _on_killed(self) -> None:
        """The accept greenlet was killed (gevent.kill): keep accepting."""
        if self._handle is not None and self._runner is not None:
            self._runner.want_read()

    def _on_uncaught(self, exc: BaseException) -> None:
        if self._loop.report(exc, self):  # handled: keep accepting, as Node does
            self._on_killed()

    def _on_writable(self) -> None:  # the accept runner never writes
        pass

    def __enter__(self) -> 'Server':
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._handle is not None or self._lookup_pending:
            self.close()

    def __repr__(self) -> str:
        return '<gnet.Server %s>' % (self.address() if self._handle is not None else 'closed')

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    maxConnections = max_connections
    getConnections = get_connections


def create_server(*args: Any, **kwargs: Any) -> Server:
    """``create_server([options][, connection_listener])``."""
    return Server(*netargs.server_args(args), **kwargs)
