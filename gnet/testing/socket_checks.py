"""The socket contracts of ``gnet.interfaces`` (C1, K1, T1) as plain checks.

Owns: the socket transports the checks run over (:func:`tcp4`,
:func:`tcp6`, :func:`ipc`: how to listen, whether TCP options apply, and
the layer on top, plain or TLS, see :mod:`gnet.testing.layers`), one
check per behaviour registered under its contract ID (``SOCKET_CHECKS``,
names ``check_<ID>_<what>``), and the serving helper they share.  Each
check gets a :class:`SocketTransport`, starts a gnet server over it, and
raises AssertionError (or the error gnet raised) when the contract does not
hold.  The runner is :func:`gnet.testing.conformance.check_socket`.
Must not import: pytest, gevent (it blocks through :func:`gnet.once`).
"""

import contextlib
import os
import shutil
import socket
import tempfile
import time
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple

from zope.interface.verify import verifyObject

from .. import errors
from ..interfaces import IPipeHandle, ISocket, ITCPHandle
from ..runtime.sync import once
from .layers import PLAIN, SocketLayer
from .stream_checks import WAIT, Check, idle_turns, one_turn, raises, wait_until

__all__ = ['SocketTransport', 'tcp4', 'tcp6', 'ipc', 'SOCKET_CHECKS', 'serving']


class SocketTransport(NamedTuple):
    """How to listen over one transport: ``listen()`` yields ``server.listen`` arguments;
    ``layer`` makes the servers and sockets (plain ``net`` or ``tls``)."""

    name: str
    listen: Callable[[], 'contextlib.AbstractContextManager[Tuple[Any, ...]]']
    tcp: bool
    layer: SocketLayer = PLAIN


@contextlib.contextmanager
def _loopback(host: str) -> Iterator[Tuple[Any, ...]]:
    yield (0, host)


@contextlib.contextmanager
def _unix_path() -> Iterator[Tuple[Any, ...]]:
    directory = tempfile.mkdtemp(prefix='gnet-')
    try:
        yield (os.path.join(directory, 'sock'),)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _named(name: str, layer: SocketLayer) -> str:
    return name if layer is PLAIN else '%s-%s' % (layer.name, name)


def tcp4(layer: SocketLayer = PLAIN) -> SocketTransport:
    return SocketTransport(_named('tcp4', layer), lambda: _loopback('127.0.0.1'), True, layer)


def tcp6(layer: SocketLayer = PLAIN) -> SocketTransport:
    return SocketTransport(_named('tcp6', layer), lambda: _loopback('::1'), True, layer)


def ipc(layer: SocketLayer = PLAIN) -> SocketTransport:
    return SocketTransport(_named('ipc', layer), _unix_path, False, layer)


def connect_options(server: Any) -> Dict[str, Any]:
    address = server.address()
    if isinstance(address, str):
        return {'path': address}
    return {'port': address['port'], 'host': address['address']}


@contextlib.contextmanager
def serving(transport: SocketTransport, on_connection: Optional[Callable[..., Any]] = None,
            **options: Any) -> Iterator[Any]:
    """A listening server (closed, with every connection destroyed, on exit)."""
    server = transport.layer.create_server(options, on_connection)
    conns: List[Any] = []
    server.on('connection', conns.append)
    with transport.listen() as listen_args:
        server.listen(*listen_args)
        once(server, 'listening', timeout=WAIT)
        try:
            yield server
        finally:
            for conn in conns:
                conn.on('error', lambda *args: None)
                conn.destroy()
            if server.listening:
                server.close()
            if server.connections:
                once(server, 'close', timeout=WAIT)


def _echo(conn: Any) -> None:
    conn.pipe(conn)


def _connected(transport: SocketTransport, server: Any, **opts: Any) -> Any:
    sock = transport.layer.socket(opts)
    sock.connect(connect_options(server))
    once(sock, transport.layer.ready_event, timeout=WAIT)
    return sock


def _opt(sock: Any, level: int, name: int) -> int:
    """A socket option read on a duplicate of the handle's descriptor."""
    dup = socket.socket(fileno=os.dup(sock._handle.fileno))
    try:
        return int(dup.getsockopt(level, name))
    finally:
        dup.close()


def _close(sock: Any) -> None:
    if not sock.closed:
        sock.on('error', lambda *args: None)
        sock.destroy()
        once(sock, 'close', timeout=WAIT)


#: every socket check, in contract order
SOCKET_CHECKS: List[Check] = []


def socket_contract(contract_id: str) -> Callable[[Any], Any]:
    """Register the decorated check under ``contract_id``."""
    def register(function: Any) -> Any:
        SOCKET_CHECKS.append(Check(contract_id, function.__name__.split('_', 2)[2], function, {}))
        return function
    return register


@socket_contract('C1')
def check_C1_connect_ready_order_and_queued_writes(transport: SocketTransport) -> None:
    with serving(transport, _echo) as server:
        order: List[str] = []
        sock = transport.layer.socket({})
        sock.on('connect', lambda: order.append('connect'))
        sock.on('ready', lambda: order.append('ready'))
        chunks: List[bytes] = []
        sock.on('data', chunks.append)
        assert sock.connect(connect_options(server)) is sock
        assert sock.connecting and sock.pending and sock.ready_state == 'opening'
        for n in range(50):
            assert sock.write(b'%d,' % n) is True
        sock.end()
        assert order == []
        once(sock, 'end', timeout=WAIT)
        assert order == ['connect', 'ready']
        assert b''.join(chunks) == b''.join(b'%d,' % n for n in range(50))
        if not sock.closed:
            once(sock, 'close', timeout=WAIT)
        verifyObject(ISocket, sock)


@socket_contract('K1')
def check_K1_no_delay_and_keep_alive(transport: SocketTransport) -> None:
    with serving(transport, _echo) as server:
        sock = transport.layer.socket({})
        # cached before connect: return the socket, never raise
        assert sock.set_no_delay(True) is sock
        assert sock.set_keep_alive(True, 5000) is sock
        sock.connect(connect_options(server))
        once(sock, transport.layer.ready_event, timeout=WAIT)
        handle = sock._handle
        if not transport.tcp:
            assert IPipeHandle.providedBy(handle) and not ITCPHandle.providedBy(handle)
            assert sock.set_no_delay(False) is sock  # accepted no-ops
            assert sock.set_keep_alive(False) is sock
        else:
            assert ITCPHandle.providedBy(handle)
            assert _opt(sock, socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
            assert _opt(sock, socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
            assert _opt(sock, socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 5
            assert _opt(sock, socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 10
            assert _opt(sock, socket.IPPROTO_TCP, socket.TCP_KEEPINTVL) == 1
            assert sock.set_no_delay(False) is sock
            assert _opt(sock, socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            assert sock.set_keep_alive(False) is sock
            assert _opt(sock, socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0
        _close(sock)
        assert sock.set_no_delay() is sock and sock.set_keep_alive(True) is sock  # after destroy


@socket_contract('K1')
def check_K1_server_options_apply_to_tcp_connections_only(transport: SocketTransport) -> None:
    accepted: List[Any] = []
    with serving(transport, accepted.append, no_delay=True, keep_alive=True,
                 keep_alive_initial_delay=3000) as server:
        sock = _connected(transport, server)
        wait_until(lambda: accepted)
        conn = accepted[0]
        if transport.tcp:
            assert _opt(conn, socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
            assert _opt(conn, socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
            assert _opt(conn, socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 3
        else:
            assert not ITCPHandle.providedBy(conn._handle)
        _close(sock)


#: keep-alive delays (ms) that Node coerces with ``~~(ms / 1000)`` to an idle time the
#: kernel refuses (0, negative, over 32767 s), so the default idle time stays; none raises
ODD_KEEP_ALIVE_DELAYS: Tuple[Any, ...] = (
    2 ** 31 * 1000, 2 ** 32 * 1000, 32768 * 1000, 999, float('nan'), float('inf'), float('-inf'),
    -5000, 10 ** 400, 'x', b'x', None, [])


def _default_keep_knobs() -> Tuple[int, int, int]:
    """The kernel's idle time, probe count and interval for a new socket."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return tuple(int(probe.getsockopt(socket.IPPROTO_TCP, name))  # type: ignore[return-value]
                     for name in (socket.TCP_KEEPIDLE, socket.TCP_KEEPCNT, socket.TCP_KEEPINTVL))


def _keep_knobs(sock: Any) -> Tuple[int, int, int]:
    return (_opt(sock, socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
            _opt(sock, socket.IPPROTO_TCP, socket.TCP_KEEPCNT),
            _opt(sock, socket.IPPROTO_TCP, socket.TCP_KEEPINTVL))


@socket_contract('K1')
def check_K1_keep_alive_takes_any_delay(transport: SocketTransport) -> None:
    huge = ODD_KEEP_ALIVE_DELAYS[0]
    with serving(transport, _echo) as server:
        defaults = _default_keep_knobs()
        for delay in ODD_KEEP_ALIVE_DELAYS:
            sock = transport.layer.socket({'keep_alive': True, 'keep_alive_initial_delay': huge})
            assert sock.set_keep_alive(True, delay) is sock  # cached before connect
            sock.connect(connect_options(server))
            once(sock, 'connect', timeout=WAIT)
            assert sock.set_keep_alive(False) is sock and sock.set_keep_alive(True, delay) is sock
            if transport.tcp:
                assert _opt(sock, socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
                # libuv stops at the refused idle time: count and interval untouched too
                assert _keep_knobs(sock) == defaults, delay
            _close(sock)
            assert sock.set_keep_alive(True, delay) is sock  # after destroy


@socket_contract('K1')
def check_K1_server_keep_alive_delay_out_of_range_still_serves(transport: SocketTransport) -> None:
    accepted: List[Any] = []
    for delay in (2 ** 31 * 1000, float('nan'), float('inf'), 10 ** 400, 32767 * 1000):
        with serving(transport, _echo, keep_alive=True, keep_alive_initial_delay=delay) as server:
            server.on('connection', accepted.append)
            sock = _connected(transport, server)
            sock.write(b'ping')
            once(sock, 'data', timeout=WAIT)
            wait_until(lambda: bool(accepted))
            if transport.tcp:
                knobs = (32767, 10, 1) if delay == 32767 * 1000 else _default_keep_knobs()
                assert _opt(accepted[-1], socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
                assert _keep_knobs(accepted[-1]) == knobs, delay
            _close(sock)


def _idle_for(seconds: float) -> None:
    """Let the loop run for about ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        one_turn()


@socket_contract('T1')
def check_T1_timeout_fires_without_closing_and_activity_refreshes(transport: SocketTransport) -> None:
    with serving(transport, _echo) as server:
        sock = _connected(transport, server)
        fired: List[bool] = []
        assert sock.set_timeout(60, lambda: fired.append(True)) is sock
        assert sock.timeout == 60
        wait_until(lambda: fired)
        assert not sock.destroyed and sock.writable
        # activity refreshes: keep writing every 20 ms for ~200 ms, no timeout
        del fired[:]
        sock.set_timeout(100)
        sock.on('timeout', lambda: fired.append(True))
        sock.on('data', lambda data: None)
        for _ in range(10):
            sock.write(b'ping')
            _idle_for(0.02)
            assert not fired
        wait_until(lambda: fired)  # idle again: fires
        # 0 disables
        del fired[:]
        sock.set_timeout(0)
        assert sock.timeout == 0  # Node keeps the value given
        _idle_for(0.2)
        assert not fired
        _close(sock)


@socket_contract('T1')
def check_T1_bad_timeout_values(transport: SocketTransport) -> None:
    sock = transport.layer.socket({})
    with raises(errors.ERR_INVALID_ARG_TYPE):
        sock.set_timeout('1')
    with raises(errors.ERR_OUT_OF_RANGE):
        sock.set_timeout(-1)
    _close(sock)
    idle_turns(1)
