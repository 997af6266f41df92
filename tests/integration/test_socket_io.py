"""net.Socket I/O over every transport: half-close, end, destroy, reset, errors.

Ports the behaviours of Node's test/parallel/ files:
test-net-allow-half-open.js, test-net-socket-end-before-connect.js,
test-net-end-close.js, test-net-end-destroyed.js, test-net-write-after-end-nt.js,
test-net-write-after-close.js, test-net-socket-destroy-twice.js,
test-net-socket-destroy-send.js, test-net-socket-reset-and-destroy.js (via
reset_and_destroy), test-net-reset-and-destroy... (ERR_INVALID_HANDLE_TYPE on
pipes), test-net-onread-static-buffer.js, test-net-bytes-read.js,
test-net-bytes-stats.js, test-net-bytes-written-large.js,
test-net-socket-byteswritten.js, test-net-socket-ready-state.js (as
test-net-readystate), test-net-server-pause-on-connect.js (reading side),
test-net-socket-local-address.js, test-net-remote-address.js,
test-net-socket-destroy-remote-address (None once destroyed),
test-net-socket-no-halfopen-enforcer.js, test-net-socket-write-error.js,
test-net-throttle.js (pause pushes back on the peer).
"""

import platform
import socket
import weakref

import gevent
import pytest
from gevent.event import Event

import gnet
from gnet import errors
from net_helpers import (TRANSPORTS, WAIT, collect, connect_options, echo, errors_until_close,
                         serving, wait_close)


def connected_pair(transport, tmp_path, server_opts=None, client_opts=None):
    """A started server (context manager) plus (client, server_side)."""
    accepted = []
    ctx = serving(transport, accepted.append, tmp_path, **(server_opts or {}))
    server = ctx.__enter__()
    client = gnet.Socket(client_opts or {})
    client.connect(connect_options(server))
    gnet.once(client, 'connect', timeout=WAIT)
    if not accepted:
        gnet.once(server, 'connection', timeout=WAIT)
    return ctx, client, accepted[0]


@pytest.fixture
def pair_factory(tmp_path):
    made = []

    def make(transport, server_opts=None, client_opts=None):
        ctx, client, conn = connected_pair(transport, tmp_path, server_opts, client_opts)
        made.append((ctx, client))
        return client, conn
    yield make
    for ctx, client in made:
        client.on('error', lambda *a: None)
        client.destroy()
        ctx.__exit__(None, None, None)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_half_open_true_keeps_our_side_writable(transport, pair_factory):
    client, conn = pair_factory(transport, server_opts={'allow_half_open': True})
    ended = Event()
    conn.on('end', ended.set)
    conn.resume()
    client.end()
    assert ended.wait(WAIT)
    assert conn.writable and conn.ready_state == 'writeOnly'
    chunks, client_ended = collect(client)
    conn.end(b'late reply')
    assert client_ended.wait(WAIT)
    assert b''.join(chunks) == b'late reply'
    wait_close(client)
    wait_close(conn)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_half_open_false_ends_our_side_after_the_queue(transport, pair_factory):
    client, conn = pair_factory(transport)
    finished = Event()
    closes = []
    conn.on('finish', finished.set)
    conn.on('close', closes.append)
    conn.on('data', lambda d: None)
    chunks, ended = collect(client)
    conn.write(b'x' * 100000)
    client.end()
    assert finished.wait(WAIT) and ended.wait(WAIT)
    assert len(b''.join(chunks)) == 100000
    wait_close(conn)
    assert closes == [False]


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_event_order_end_finish_close(transport, pair_factory):
    client, conn = pair_factory(transport)
    order = []
    for name in ('end', 'finish'):
        client.on(name, lambda name=name: order.append(name))
    client.on('close', lambda had_error: order.append(('close', had_error)))
    client.resume()
    conn.end()
    wait_close(client)
    assert order[-1] == ('close', False)
    assert sorted(order[:-1]) == ['end', 'finish']
    assert client.ready_state == 'closed' and client.destroyed


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_write_after_end_errors_on_next_tick(transport, pair_factory):
    client, conn = pair_factory(transport)
    client.end()
    got_cb = []
    assert client.write(b'x', lambda err: got_cb.append(err)) is False
    assert got_cb == []  # asynchronous
    errs = errors_until_close(client)
    assert errs and errs[0].code == 'ERR_STREAM_WRITE_AFTER_END'
    assert got_cb and got_cb[0].code == 'ERR_STREAM_WRITE_AFTER_END'


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_destroy_is_idempotent_and_fails_pending_writes(transport, pair_factory):
    client, conn = pair_factory(transport)
    conn.pause()
    results = []
    # fill the kernel and our queue so writes stay pending
    while client.write(b'y' * 65536, results.append):
        pass
    client.destroy()
    client.destroy()
    closes = []
    client.on('close', closes.append)
    wait_close(client)
    assert closes == [False]
    assert client.remote_address is None and client.remote_port is None
    assert any(isinstance(r, errors.NodeError) for r in results)
    late = []
    client.write(b'z', late.append)
    with gevent.Timeout(WAIT):
        while not late:
            gevent.sleep(0.001)
    assert late[0].code == 'ERR_STREAM_DESTROYED'


@pytest.mark.parametrize('transport', ['tcp4', 'tcp6'])
def test_reset_and_destroy_gives_the_peer_econnreset_and_no_end(transport, pair_factory):
    client, conn = pair_factory(transport)
    events = []
    conn.on('end', lambda: events.append('end'))
    conn.on('data', lambda d: None)
    conn.on('error', lambda e: events.append(e.code))
    conn.on('close', lambda had_error: events.append(('close', had_error)))
    assert client.reset_and_destroy() is client
    wait_close(conn)
    assert events == ['ECONNRESET', ('close', True)]


def test_reset_and_destroy_on_ipc_raises(pair_factory):
    client, conn = pair_factory('ipc')
    with pytest.raises(errors.ERR_INVALID_HANDLE_TYPE):
        client.reset_and_destroy()


def test_reset_and_destroy_while_connecting_resets_once_connected():
    with serving('tcp4') as server:
        conns = []
        server.on('connection', conns.append)
        client = gnet.connect(server.address()['port'], '127.0.0.1')
        client.reset_and_destroy()
        assert client.connecting
        wait_close(client)
        if not conns:
            gnet.once(server, 'connection', timeout=WAIT)
        errs = errors_until_close(conns[0])
        assert errs and errs[0].code == 'ECONNRESET'


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_pause_pushes_back_on_the_peer(transport, pair_factory):
    client, conn = pair_factory(transport, server_opts={'high_water_mark': 16384})
    conn.pause()
    writes = 0
    while client.write(b'p' * 16384):
        writes += 1
        assert writes < 10000, 'the peer never pushed back'
        if writes % 16 == 0:
            gevent.sleep(0)  # let the kernel and the reader run
    assert client.writable_need_drain
    with gevent.Timeout(1, False):  # the writer's queue must stay stuck while paused
        gnet.once(client, 'drain')
    assert conn.readable_length <= 16384 + 65536
    drained = Event()
    client.on('drain', drained.set)
    conn.on('data', lambda d: None)
    conn.resume()
    assert drained.wait(WAIT)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_bytes_read_and_written_and_buffer_size(transport, pair_factory):
    client, conn = pair_factory(transport)
    total = []
    conn.on('data', total.append)
    client.resume()
    client.write('héllo')  # str, utf8: 6 bytes
    client.write(b'12345678', None)
    client.write('ff00', 'hex')
    client.end()
    gnet.once(conn, 'end', timeout=WAIT)
    assert b''.join(total) == 'héllo'.encode() + b'12345678' + b'\xff\x00'
    assert conn.bytes_read == 16
    wait_close(client)
    assert client.bytes_written == 16
    assert client.buffer_size == 0


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_onread_reuses_the_user_buffer_and_false_pauses(transport, tmp_path):
    buf = bytearray(16)
    seen = []
    done = Event()

    def on_read(nread, b):
        assert b is buf
        seen.append(bytes(b[:nread]))
        if sum(map(len, seen)) >= 40 and not done.is_set():
            done.set()
            return False  # pause once
        return None
    with serving(transport, lambda c: c.end(b'a' * 40 + b'b' * 40), tmp_path) as server:
        sock = gnet.connect({**connect_options(server), 'onread': {'buffer': buf, 'callback': on_read}})
        assert done.wait(WAIT)
        assert sum(map(len, seen)) >= 40
        ended = Event()
        sock.on('end', ended.set)
        sock.resume()
        assert ended.wait(WAIT)
        assert b''.join(seen) == b'a' * 40 + b'b' * 40
        wait_close(sock)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_set_encoding_delivers_whole_characters(transport, pair_factory):
    client, conn = pair_factory(transport)
    conn.set_encoding('utf8')
    chunks = []
    conn.on('data', chunks.append)
    data = 'ünïcødé €'.encode()
    client.write(data[:3])
    gevent.sleep(0.01)  # two separate reads on purpose: split the character
    client.end(data[3:])
    gnet.once(conn, 'end', timeout=WAIT)
    assert all(isinstance(c, str) for c in chunks)
    assert ''.join(chunks) == 'ünïcødé €'


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_blocking_listener_stalls_only_its_own_socket(transport, tmp_path):
    release = Event()
    replies = []

    def on_connection(c):
        def on_data(d):
            if d == b'block':
                release.wait(WAIT)  # cooperative block in this socket's greenlet
            c.write(d)
        c.on('data', on_data)
    with serving(transport, on_connection, tmp_path) as server:
        slow = gnet.connect(connect_options(server))
        fast = gnet.connect(connect_options(server))
        fast.on('data', replies.append)
        slow.write(b'block')
        gnet.once(fast, 'connect', timeout=WAIT)
        fast.write(b'quick')
        gnet.once(fast, 'data', timeout=WAIT) if not replies else None
        assert replies == [b'quick']
        assert not release.is_set()
        release.set()
        slow.destroy()
        fast.destroy()


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_iteration_blocks_per_chunk_and_ends(transport, tmp_path):
    with serving(transport, lambda c: c.end(b'one two'), tmp_path) as server:
        sock = gnet.connect(connect_options(server))
        with gevent.Timeout(WAIT):
            data = b''.join(chunk for chunk in sock)
        assert data == b'one two'
        wait_close(sock)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_context_manager_destroys(transport, tmp_path):
    with serving(transport, echo, tmp_path) as server:
        with gnet.connect(connect_options(server)) as sock:
            gnet.once(sock, 'connect', timeout=WAIT)
        assert sock.destroyed
        wait_close(sock)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_listener_exception_destroys_the_socket_and_is_raised_from_run(transport, tmp_path):
    def on_connection(c):
        def boom(_data):
            raise KeyError('listener failed')
        c.on('data', boom)
    with serving(transport, on_connection, tmp_path) as server:
        sock = gnet.connect(connect_options(server))
        sock.on('error', lambda e: None)
        sock.resume()
        sock.write(b'trigger')
        with pytest.raises(KeyError):
            with gevent.Timeout(WAIT):
                gnet.run()
        wait_close(sock)


def test_unref_socket_does_not_keep_run_alive():
    with serving('tcp4', lambda c: c.unref()) as server:
        server.unref()
        sock = gnet.connect(server.address()['port'], '127.0.0.1')
        gnet.once(sock, 'connect', timeout=WAIT)
        assert sock.unref() is sock
        with gevent.Timeout(WAIT):
            gnet.run()  # returns: nothing referenced
        assert not sock.destroyed
        assert sock.ref() is sock
        sock.destroy()
        server.ref()


def test_socket_from_fd():
    a, b = socket.socketpair()
    sock = gnet.Socket({'fd': a.detach()})
    chunks, ended = collect(sock)
    b.sendall(b'via fd')
    b.shutdown(socket.SHUT_WR)
    assert ended.wait(WAIT)
    assert b''.join(chunks) == b'via fd'
    wait_close(sock)
    b.close()


def test_idle_connection_gives_back_its_greenlet_and_still_works(monkeypatch):
    from gnet.runtime import runner
    monkeypatch.setattr(runner, 'REAP_INTERVAL_MS', 10)
    reaper = runner._Reaper.of(gnet.runtime.loop.get_loop())
    if reaper.timer is not None:  # restart the sweep at the short interval
        reaper.timer.close()
        reaper.timer = None
    with serving('tcp4', echo) as server:
        sock = gnet.connect(server.address()['port'], '127.0.0.1')
        gnet.once(sock, 'connect', timeout=WAIT)
        first = weakref.ref(sock._runner.glet)
        with gevent.Timeout(WAIT):
            while sock._runner.alive:  # bounded: the sweep retires it within ~20 ms
                gevent.sleep(0.005)
        gevent.sleep(0)  # let the retired greenlet return
        # the connection keeps no dead greenlet (a few hundred bytes per idle connection)
        assert sock._runner.glet is runner.RETIRED and first() is None
        chunks, ended = collect(sock)
        sock.end(b'still here')
        assert ended.wait(WAIT)
        assert b''.join(chunks) == b'still here'
        wait_close(sock)
    if reaper.timer is not None:
        reaper.timer.close()
        reaper.timer = None


# -- high-water marks: Node 20's 16 KiB default -------------------------------------------------
@pytest.mark.parametrize('transport', TRANSPORTS)
def test_sockets_default_to_node_20s_16_kib_high_water_marks(transport, pair_factory):
    client, conn = pair_factory(transport)
    for sock in (gnet.Socket(), client, conn):
        assert (sock.readable_high_water_mark, sock.writable_high_water_mark) == (16384, 16384)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_high_water_mark_options_are_in_force_and_reported(transport, pair_factory):
    """A server's high_water_mark sets both sides of its connections; its readable one is ignored."""
    client, conn = pair_factory(transport, server_opts={'high_water_mark': 1000},
                                client_opts={'readable_high_water_mark': 3000,
                                             'writable_high_water_mark': 2000})
    assert (conn.readable_high_water_mark, conn.writable_high_water_mark) == (1000, 1000)
    assert (client.readable_high_water_mark, client.writable_high_water_mark) == (3000, 2000)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_servers_readable_high_water_mark_is_not_passed_on(transport, pair_factory):
    _, conn = pair_factory(transport, server_opts={'readable_high_water_mark': 3000})
    assert conn.readable_high_water_mark == 16384


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_paused_socket_stops_reading_at_the_default_mark(transport, pair_factory):
    """R2 with the default: reading stops once 16 KiB are buffered (one recv may pass it)."""
    from gnet.net.socket_base import READ_SIZE
    client, conn = pair_factory(transport)
    conn.pause()
    while client.write(b'r' * 65536):  # the kernel buffers fill, then the writer queues
        gevent.sleep(0)
    with gevent.Timeout(0.2, False):   # give the paused reader every chance to read on
        gnet.once(client, 'drain')
    assert 16384 <= conn.readable_length < 16384 + READ_SIZE


def test_a_burst_of_retirements_gives_the_heap_back(monkeypatch):
    """After the reaper has retired RETIRED_BEFORE_TRIM greenlets, its next sweep trims the
    heap (glibc's malloc_trim), so an idle server's memory is not stuck at its peak."""
    from gnet.runtime import runner
    trims = []
    monkeypatch.setattr(runner, 'REAP_INTERVAL_MS', 10)
    monkeypatch.setattr(runner, 'RETIRED_BEFORE_TRIM', 3)
    monkeypatch.setattr(runner, 'release_free_pages', lambda: trims.append(1))
    reaper = runner._Reaper.of(gnet.runtime.loop.get_loop())
    if reaper.timer is not None:
        reaper.timer.close()
        reaper.timer = None
    reaper.retired = 0
    with serving('tcp4', echo) as server:
        socks = []
        for _ in range(3):
            socks.append(gnet.connect(server.address()['port'], '127.0.0.1'))
            gnet.once(socks[-1], 'connect', timeout=WAIT)
        with gevent.Timeout(WAIT):
            while not trims:  # 3 clients and 3 server sides retire, then a sweep trims
                gevent.sleep(0.005)
        assert reaper.retired < 3
        for sock in socks:
            sock.destroy()
            wait_close(sock)
    if reaper.timer is not None:
        reaper.timer.close()
        reaper.timer = None


def test_release_free_pages_reports_whether_the_c_library_can():
    from gnet.runtime import heap
    assert heap.release_free_pages() is (heap._trim is not None)
    if platform.libc_ver()[0] == 'glibc':
        assert heap._trim is not None
