"""The net.Server contracts S1-S6 (``gnet.interfaces``) over tcp4, tcp6 and ipc.

One parametrized suite: every test runs over each transport of the local
``transport`` fixture (an IPv6 run is skipped, with its reason, only where
``::1`` cannot be bound).  Also the server options that apply to accepted
connections (``allow_half_open``, ``pause_on_connect``, ``no_delay``,
``keep_alive``, ``high_water_mark``), ``address()``, the context manager and
the ``shutdown`` extension.

Ports the behaviours of Node's test/parallel/ files:
test-net-server-call-listen-multiple-times.js (S1), test-net-listening.js,
test-net-listen-error.js / test-net-eaddrinuse.js (S2),
test-net-server-max-connections.js, test-net-server-drop-connections.js (S3),
test-net-server-close.js, test-net-listen-close-server.js (S4),
test-net-server-get-connections.js / test-net-server-connections.js (S6),
test-net-server-pause-on-connect.js, test-net-server-keepalive.js,
test-net-server-nodelay.js (as server noDelay), test-net-server-address.js,
test-net-server-async-dispose.mjs (as the context manager).
"""

import os
import socket
import sys

import gevent
import pytest
from gevent.event import AsyncResult, Event
from greenlet import getcurrent
from zope.interface.verify import verifyObject

import gnet
from gnet import errors
from gnet.interfaces import IServer

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, 'integration'))
from server_helpers import (WAIT, closed_event, make_harness, raw_connect,  # noqa: E402
                            read_until_closed, recv_exactly, target_of, wait_for)


@pytest.fixture(params=['tcp4', 'tcp6', 'ipc'])
def transport(request):
    return request.param


@pytest.fixture
def h(request, tmp_path, transport):
    """The test's servers and clients, torn down afterwards."""
    return make_harness(request, tmp_path, transport)


def test_server_provides_IServer(h):
    server = h.server()
    verifyObject(IServer, server)
    h.listen(server)
    verifyObject(IServer, server)


# -- S1 ------------------------------------------------------------------------------
def test_S1_second_listen_raises_already_listen(h):
    server = h.serving()
    with pytest.raises(errors.ERR_SERVER_ALREADY_LISTEN) as info:
        server.listen(h.options())
    assert info.value.code == 'ERR_SERVER_ALREADY_LISTEN'
    assert isinstance(info.value, errors.NodeError)
    assert server.listening


def test_S1_listen_again_after_close(h):
    server = h.serving()
    first = server.address()
    server.close()
    again = AsyncResult()
    server.listen(h.options(), lambda: again.set(server.address()))
    assert wait_for(again, "the second 'listening'") is not None
    if h.transport == 'ipc':
        assert not os.path.exists(first)  # the first path was unlinked by close()


# -- S2 ------------------------------------------------------------------------------
def test_S2_listening_and_callback_are_asynchronous(h):
    server = h.server()
    calls = []
    server.on('listening', lambda: calls.append('event'))
    server.listen(h.options(), lambda: calls.append('callback'))
    assert calls == []
    assert not server.listening or h.transport == 'ipc'  # a host is looked up first
    gnet.once(server, 'listening', timeout=WAIT)
    gevent.idle()
    assert calls == ['event', 'callback']
    assert server.listening


def test_S2_listen_error_is_an_event_and_listen_may_be_retried(h):
    taken = h.serving()
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    callback = Event()
    occupied = taken.address()
    options = {'path': occupied} if h.transport == 'ipc' else {
        'port': occupied['port'], 'host': occupied['address']}
    server.listen(options, callback.set)  # never raises
    err = wait_for(failed, "the listen 'error'")
    assert isinstance(err, errors.SysError) and isinstance(err, OSError)
    assert err.code == 'EADDRINUSE' and err.syscall == 'listen'
    assert 'EADDRINUSE' in str(err)
    assert not server.listening and server.address() is None
    assert not callback.is_set()
    server.listen(h.options())  # the callback of the failed call fires now
    wait_for(callback, 'the first callback after a successful retry')
    assert server.listening


# -- S3 ------------------------------------------------------------------------------
def test_S3_over_max_connections_the_connection_is_closed_and_drop_emitted(h):
    server = h.serving()
    server.max_connections = 1
    drops = AsyncResult()
    server.on('drop', drops.set)
    h.raw_client(server)
    gnet.once(server, 'connection', timeout=WAIT)
    second = h.raw_client(server)
    info = wait_for(drops, "'drop'")
    assert read_until_closed(second)[1] in ('eof', 'reset')
    if h.transport == 'ipc':
        assert info is None
    else:
        local = server.address()
        family = 'IPv6' if h.transport == 'tcp6' else 'IPv4'
        assert info == {'local_address': local['address'], 'local_port': local['port'],
                        'local_family': family,
                        'remote_address': second.getsockname()[0],
                        'remote_port': second.getsockname()[1], 'remote_family': family}
    assert server.connections == 1
    assert server.listening


def test_S3_max_connections_zero_drops_every_connection(h):
    server = h.serving()
    server.max_connections = 0
    server.on('connection', h.never('a connection got through'))
    dropped = Event()
    server.on('drop', lambda *_: dropped.set())
    client = h.raw_client(server)
    wait_for(dropped, "'drop'")
    assert read_until_closed(client)[1] in ('eof', 'reset')


# -- S4 ------------------------------------------------------------------------------
def test_S4_close_stops_accepting_at_once_and_close_waits_for_connections(h):
    server = h.serving(lambda conn: conn.pipe(conn))
    client, conn = h.accept_one(server)
    target = target_of(server)
    closed, result = closed_event(server), AsyncResult()
    server.close(result.set)
    assert not server.listening and server.address() is None
    with pytest.raises(OSError):
        raw_connect(target, timeout=2).close()   # refused (or the path is gone)
    got = AsyncResult()
    client.once('data', got.set)
    client.write(b'echo after close')
    assert wait_for(got, 'the echo') == b'echo after close'
    assert not closed.is_set()  # a connection is still open
    client.end()
    wait_for(closed, "the server's 'close'")
    assert wait_for(result, 'the close callback') is None
    assert conn._writable_state.close_emitted  # 'close' came after the connection's


def test_S4_close_on_a_stopped_server_gives_err_server_not_running(h):
    server = h.server()
    result = AsyncResult()
    server.close(result.set)
    err = wait_for(result, 'the close callback')
    assert isinstance(err, errors.ERR_SERVER_NOT_RUNNING) and err.code == 'ERR_SERVER_NOT_RUNNING'
    h.listen(server)
    server.close()
    again = AsyncResult()
    server.close(again.set)  # closing twice: the second call was not running
    assert wait_for(again, 'the second close callback').code == 'ERR_SERVER_NOT_RUNNING'


# -- S5 ------------------------------------------------------------------------------
def test_S5_connection_precedes_data_and_runs_in_its_own_greenlet(h):
    order, greenlets = [], []
    both = Event()

    def on_connection(conn):
        greenlets.append(getcurrent())
        order.append(('connection', conn))
        conn.on('data', lambda data: order.append(('data', conn)))
        conn.on('end', lambda: both.set() if sum(o[0] == 'data' for o in order) >= 2 else None)
    server = h.serving(on_connection)
    for _ in range(2):
        client = h.raw_client(server)
        client.sendall(b'sent before the server saw the connection')
        client.shutdown(socket.SHUT_WR)
    wait_for(both, 'data on both connections')
    for conn in {c for _, c in order}:
        events = [e for e, c in order if c is conn]
        assert events[0] == 'connection' and 'data' in events
    assert len(greenlets) == 2 and greenlets[0] is not greenlets[1]
    assert getcurrent() not in greenlets


def test_S5_a_blocking_connection_listener_holds_up_only_its_own_socket(h):
    first_seen, release = Event(), Event()

    def on_connection(conn):
        if not first_seen.is_set():
            first_seen.set()
            release.wait(WAIT)  # blocks cooperatively, in this socket's greenlet only
            return
        conn.on('data', lambda data: (conn.write(data), release.set()))
    server = h.serving(on_connection)
    h.raw_client(server)
    wait_for(first_seen, "the first 'connection'")
    second = h.raw_client(server)
    second.sendall(b'ping')
    assert recv_exactly(second, 4) == b'ping'
    assert release.is_set()


# -- S6 ------------------------------------------------------------------------------
def test_S6_get_connections_answers_asynchronously_with_the_live_count(h):
    server = h.serving(lambda conn: conn.resume())  # reading, so the peer's FIN is seen
    answers = []

    def ask():
        result = AsyncResult()
        server.get_connections(lambda err, count: result.set((err, count)))
        answers.append(result.ready())  # never answered inside the call
        return wait_for(result, 'get_connections')
    assert ask() == (None, 0)
    a, _ = h.accept_one(server)
    b, conn_b = h.accept_one(server)
    assert ask() == (None, 2) and server.connections == 2
    closing = closed_event(conn_b)
    b.destroy()
    wait_for(closing, "the server side's 'close'")
    assert ask() == (None, 1)
    assert answers == [False, False, False]
    server.getConnections(lambda err, count: None)  # the Node spelling


# -- address() -------------------------------------------------------------------------
def test_address_is_none_before_listening_and_after_close(h):
    server = h.server()
    assert server.address() is None
    h.listen(server)
    address = server.address()
    if h.transport == 'ipc':
        assert isinstance(address, str) and os.path.basename(address).endswith('.sock')
    else:
        family = 'IPv6' if h.transport == 'tcp6' else 'IPv4'
        assert address == {'address': '::1' if family == 'IPv6' else '127.0.0.1',
                           'family': family, 'port': address['port']}
        assert 0 < address['port'] < 65536
    server.close()
    assert server.address() is None


# -- options applied to accepted connections --------------------------------------------
def test_allow_half_open_keeps_the_accepted_socket_writable(h):
    ended = Event()

    def on_connection(conn):
        conn.on('end', lambda: (ended.set(), conn.end(b'reply after end')))
        conn.resume()
    server = h.serving(on_connection, allow_half_open=True)
    client = h.raw_client(server)
    client.shutdown(socket.SHUT_WR)
    wait_for(ended, "the server side's 'end'")
    assert read_until_closed(client) == (b'reply after end', 'eof')


def test_pause_on_connect_reads_nothing_until_resume(h):
    paused_conn = AsyncResult()
    server = h.serving(paused_conn.set, pause_on_connect=True)
    slow = h.raw_client(server)
    slow.sendall(b'held')
    conn = wait_for(paused_conn, "'connection'")
    data = AsyncResult()
    conn.on('data', data.set)
    # a round trip on a second, unpaused server is the barrier (as in Node's test)
    other = h.serving(lambda c: c.pipe(c))
    fast = h.raw_client(other)
    fast.sendall(b'ping')
    assert recv_exactly(fast, 4) == b'ping'
    assert not data.ready() and conn.bytes_read == 0 and conn.is_paused()
    conn.resume()
    assert wait_for(data, "'data' after resume") == b'held'


def test_no_delay_and_keep_alive_apply_to_tcp_connections_only(h):
    server = h.serving(no_delay=True, keep_alive=True, keep_alive_initial_delay=3000)
    client, conn = h.accept_one(server)
    handle = conn._handle
    if h.transport == 'ipc':
        assert handle.sock.family == socket.AF_UNIX  # nothing applied, nothing raised
        return
    sock = handle.sock
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 3


def test_high_water_mark_applies_to_accepted_sockets(h):
    server = h.serving(high_water_mark=1234)
    client, conn = h.accept_one(server)
    assert conn.writable_high_water_mark == 1234
    assert conn.readable_high_water_mark == 1234


# -- Python extensions ---------------------------------------------------------------------
def test_context_manager_closes_the_server(h):
    with h.server() as server:
        h.listen(server)
        target = target_of(server)
        assert server.listening
    assert not server.listening
    with pytest.raises(OSError):
        raw_connect(target, timeout=2).close()


def test_shutdown_ends_connections_gracefully_then_closes(h):
    server = h.serving(lambda conn: conn.resume())
    clients = [h.accept_one(server)[0] for _ in range(3)]
    ended = [Event() for _ in clients]
    for client, done in zip(clients, ended, strict=True):
        client.on('end', done.set)
        client.resume()
    result = AsyncResult()
    server.shutdown(timeout_ms=WAIT * 1000, callback=result.set)
    assert not server.listening
    for done in ended:
        wait_for(done, "a client's 'end'")
    assert wait_for(result, "the server's 'close'") is None
    assert server.connections == 0


def test_shutdown_destroys_what_is_left_at_the_deadline(h):
    server = h.serving(allow_half_open=True)  # the server side waits for the peer's FIN
    stubborn = h.raw_client(server)
    gnet.once(server, 'connection', timeout=WAIT)
    closed = closed_event(server)
    server.shutdown(timeout_ms=100)
    assert read_until_closed(stubborn)[1] in ('eof', 'reset')  # end(), then the destroy
    wait_for(closed, "the server's 'close' at the deadline")
    assert server.connections == 0
