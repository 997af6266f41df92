"""Issue 17's divergences from Node, each over TCP (v4, v6) and IPC.

Every scenario runs under ``gnet.run()`` the way a ported Node program does:
it is the loop draining, not a wait in the test, that ends it, so the
liveness rules (divergences 4 and 7) are part of what is checked.  The same
scenarios against ``node`` are in tests/parity (address_cached_at_close,
reconnect_from_close, never_connected_lifecycle, bytes_written_queued,
idle_paused_socket_exits, write_after_peer_fin, pause_in_connection_reads,
onread_pause_in_callback, end_listener_enforcer, write_string_as_buffer,
connect_unconnected_fd).
"""

import socket

import gevent
import pytest

import gnet
from net_helpers import TRANSPORTS, connect_options, listen_args

RUN_LIMIT_S = 10


def run_bounded():
    """``gnet.run()``, failing the test if the loop does not drain."""
    with gevent.Timeout(RUN_LIMIT_S, AssertionError('gnet.run() did not return')):
        gnet.run()


def listen(server, transport, tmp_path, callback):
    server.listen(*listen_args(transport, tmp_path), lambda: callback(connect_options(server)))


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_peer_address_read_while_connected_answers_in_close(transport, tmp_path):
    """1: the peer's address is cached when read; local ones are gone after close."""
    seen = {}
    server = gnet.create_server(lambda conn: conn.end())

    def go(opts):
        client = gnet.connect(opts)
        client.resume()
        client.on('connect', lambda: seen.update(
            connected=(client.remote_address, client.remote_port, client.remote_family)))

        def on_close(had_error):
            seen['close'] = (client.remote_address, client.remote_port, client.remote_family)
            seen['local'] = (client.local_address, client.local_port)
            server.close()
        client.on('close', on_close)
        seen['client'] = client

    listen(server, transport, tmp_path, go)
    run_bounded()
    client = seen['client']
    assert seen['close'] == seen['connected']
    assert (client.remote_address, client.remote_port) == seen['connected'][:2]
    assert seen['local'] == (None, None)
    if transport == 'ipc':
        assert seen['connected'] == (None, None, None)  # Node: undefined on a pipe
    else:
        assert seen['connected'][0] in ('127.0.0.1', '::1')


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_reconnect_from_close_keeps_listeners_and_encoding(transport, tmp_path):
    """2: connect() again from 'close' flows again; counters restart."""
    rounds = []
    server = gnet.create_server(lambda conn: (conn.resume(), conn.end('round %d' % len(rounds))))

    def go(opts):
        client = gnet.Socket()
        client.set_encoding('utf8')
        got = []
        client.on('data', got.append)
        client.on('connect', lambda: client.end('hi'))

        def on_close(had_error):
            rounds.append((had_error, ''.join(got), client.bytes_read, client.bytes_written))
            del got[:]
            if len(rounds) < 3:
                client.connect(opts)
            else:
                server.close()
        client.on('close', on_close)
        client.connect(opts)

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert rounds == [(False, 'round %d' % n, 7, 2) for n in range(3)]


def test_timeout_fires_on_a_socket_that_never_connected():
    """3: set_timeout without connect; the timer itself does not hold run()."""
    events = []
    sock = gnet.Socket()
    sock.set_timeout(20)
    sock.on('timeout', lambda: (events.append(('timeout', sock.pending)), sock.destroy()))
    sock.on('close', lambda had_error: events.append(('close', had_error)))
    gnet.set_timeout(lambda: events.append('keeper'), 300)
    run_bounded()
    assert events == [('timeout', True), ('close', None), 'keeper']


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_never_connected_socket_destroyed_from_another_socket_closes_before_run_returns(
        transport, tmp_path):
    """4: 'close' (no argument: None) is awaited by run(), after 'error'."""
    events = []

    def on_connection(conn):
        orphan = gnet.Socket()
        orphan.on('error', lambda err: events.append(('error', str(err))))
        orphan.on('close', lambda *args: events.append(('close',) + args))
        orphan.destroy(RuntimeError('boom'))  # from this connection's greenlet
        conn.destroy()
        server.close()

    server = gnet.create_server(on_connection)

    def go(opts):
        client = gnet.connect(opts)
        client.on('error', lambda err: None)
        client.resume()

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert events == [('error', 'boom'), ('close', None)]


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_write_queued_while_connecting_is_answered_when_destroyed(transport, tmp_path):
    """5: ERR_SOCKET_CLOSED_BEFORE_CONNECTION for the write made while connecting."""
    answers = []
    server = gnet.create_server()

    def go(opts):
        sock = gnet.connect(opts)
        sock.on('connect', lambda: answers.append('connect'))
        sock.write(b'queued', lambda err=None: answers.append(err and err.code))
        sock.write(b'behind', lambda err=None: answers.append(err and err.code))
        assert sock.bytes_written == 12
        sock.destroy()
        server.close()

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert answers == ['ERR_SOCKET_CLOSED_BEFORE_CONNECTION'] * 2  # as Node: the buffered one too


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_bytes_written_counts_queued_bytes(transport, tmp_path):
    """6: connecting, corked and buffered bytes count, as in Node 20."""
    seen = {}

    def on_connection(conn):
        conn.resume()
        conn.on('error', lambda err: None)
        conn.on('close', lambda had_error: server.close())

    server = gnet.create_server(on_connection)

    def go(opts):
        client = gnet.connect(opts)
        client.write('abc')
        seen['connecting'] = client.bytes_written

        def on_connect():
            client.cork()
            client.write(b'0123456789')
            seen['corked'] = client.bytes_written
            client.uncork()
            client.end(bytes(10 * 1000 * 1000))
            seen['ended'] = client.bytes_written
            client.destroy()
            seen['destroyed'] = client.bytes_written
        client.on('connect', on_connect)

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert seen == {'connecting': 3, 'corked': 13, 'ended': 10000013, 'destroyed': 10000013}


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_an_idle_paused_socket_lets_run_return_and_a_reading_one_does_not(transport, tmp_path):
    """7: only active sockets (reading, writing, connecting, closing) hold run()."""
    events = []
    kept = []
    server = gnet.create_server(lambda conn: (kept.append(conn), conn.unref()))

    def go(opts):
        reading = gnet.connect(opts)

        def destroy_later():
            events.append('destroy reading')
            reading.destroy()
        reading.on('connect', lambda: gnet.set_timeout(destroy_later, 50).unref())

        def on_close(had_error):
            events.append('reading close')
            paused = gnet.connect(opts, lambda: events.append('paused connect'))
            paused.pause()
            kept.append(paused)
        reading.on('close', on_close)

    listen(server, transport, tmp_path, go)
    server.unref()
    run_bounded()
    assert events == ['destroy reading', 'reading close', 'paused connect']
    for sock in kept:  # open, but not holding the loop
        sock.destroy()
    server.close()
    run_bounded()
    assert all(sock.destroyed for sock in kept)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_write_after_the_peers_fin_is_epipe(transport, tmp_path):
    """8: allow_half_open False: Node's EPIPE, not ERR_STREAM_WRITE_AFTER_END."""
    errors = []
    server = gnet.create_server(lambda conn: conn.end())

    def go(opts):
        client = gnet.connect(opts)
        client.resume()
        client.on('end', lambda: gnet.set_immediate(
            lambda: client.write('late', lambda err=None: errors.append((err.code, str(err))))))
        client.on('close', lambda had_error: server.close())

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert errors == [('EPIPE', 'This socket has been ended by the other party')]


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_pause_in_the_connection_listener_still_buffers_and_destroy_sends_fin(
        transport, tmp_path):
    """12: reading started before 'connection'; the peer sees 'end', no reset."""
    client_events = []

    def on_connection(conn):
        conn.pause()

        def check():
            if conn.readable_length == 5:
                gnet.clear_interval(timer)
                conn.destroy()
                server.close()
        timer = gnet.set_interval(check, 5)

    server = gnet.create_server(on_connection)

    def go(opts):
        client = gnet.connect(opts, lambda: client.write('hello'))
        client.resume()
        client.on('end', lambda: client_events.append('end'))
        client.on('error', lambda err: client_events.append(err.code))
        client.on('close', lambda had_error: client_events.append(('close', had_error)))

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert client_events == ['end', ('close', False)]


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_timeout_fires_once_per_idle_period(transport, tmp_path):
    """3 (and Node's timer model): one 'timeout' per idle period; activity re-arms it."""
    events = []

    def on_connection(conn):
        conn.on('data', lambda data: events.append('data'))
        conn.on('end', lambda: (conn.end(), server.close()))

    server = gnet.create_server(on_connection)

    def go(opts):
        client = gnet.connect(opts)
        client.set_timeout(30)

        def after_quiet_time():
            events.append('quiet')  # five idle periods later, still one 'timeout'
            client.write('wake')    # activity: the next idle period counts again

        def on_timeout():
            events.append('timeout')
            if events.count('timeout') == 1:
                gnet.set_timeout(after_quiet_time, 150)
            else:
                client.end()
        client.on('timeout', on_timeout)
        client.resume()

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert events[:2] == ['timeout', 'quiet']
    assert sorted(events[2:]) == ['data', 'timeout']


def test_create_connection_passes_every_socket_option_on():
    """createConnection(options) is new Socket(options) then connect: per-side
    high-water marks apply, object modes are refused (as node prints 100 200)."""
    sock = gnet.create_connection({'port': 1, 'readableHighWaterMark': 100,
                                   'writableHighWaterMark': 200})
    sock.on('error', lambda err: None)
    try:
        assert (sock.readable_high_water_mark, sock.writable_high_water_mark) == (100, 200)
    finally:
        sock.destroy()
    for option in ('objectMode', 'readableObjectMode', 'writableObjectMode'):
        with pytest.raises(TypeError) as raised:
            gnet.create_connection({'port': 1, option: True})
        assert raised.value.code == 'ERR_INVALID_ARG_VALUE'


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_pause_inside_an_onread_callback_stops_reading_at_once(transport, tmp_path):
    """onread: pause() in the callback; no callback before resume() (Node's readStop)."""
    calls = []
    state = {'paused': False}
    buffer = bytearray(4)

    def on_connection(conn):
        conn.on('finish', lambda: state['client'].resume())  # the whole message is sent
        conn.end(b'abcdefghij')

    server = gnet.create_server(on_connection)

    def go(opts):
        def callback(nread, buf):
            calls.append((state['paused'], bytes(buf[:nread])))
            state['paused'] = True
            client.pause()

            def later():
                state['paused'] = False
                client.resume()
            gnet.set_timeout(later, 5)

        client = state['client'] = gnet.connect(
            dict(opts, onread={'buffer': buffer, 'callback': callback}))
        client.on('connect', client.pause)  # nothing is read before the server's 'finish'
        client.on('end', lambda: calls.append('end'))
        client.on('close', lambda had_error: server.close())

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert calls == [(False, b'abcd'), (False, b'efgh'), (False, b'ij'), 'end']


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_every_socket_has_nodes_end_listener_and_removing_it_drops_epipe(transport, tmp_path):
    """Node's onReadableStreamEnd: one 'end' listener per socket, whatever
    allow_half_open says; it makes a write after the peer's FIN EPIPE, and
    without it that write is ERR_STREAM_WRITE_AFTER_END (as in Node)."""
    counts = [gnet.Socket({'allowHalfOpen': flag}).listener_count('end') for flag in (False, True)]
    results = {}

    def on_connection(conn):
        counts.append(conn.listener_count('end'))
        conn.end()

    server = gnet.create_server(on_connection)

    def go(opts):
        for name in ('kept', 'removed'):
            client = gnet.connect(opts)
            if name == 'removed':
                client.remove_all_listeners('end')
            client.resume()
            client.on('end', lambda client=client, name=name: gnet.set_immediate(
                lambda: client.write('late', lambda err=None: results.update({name: err.code}))))

            def on_close(had_error):
                if len(results) == 2:
                    server.close()
            client.on('close', on_close)

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert counts == [1, 1, 1, 1]
    assert results == {'kept': 'EPIPE', 'removed': 'ERR_STREAM_WRITE_AFTER_END'}


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_writing_a_string_as_buffer_is_the_handles_type_error(transport, tmp_path):
    """write(str, 'buffer') on a connected socket: Node's writeBuffer TypeError; nothing is sent."""
    raised = []
    received = []

    def on_connection(conn):
        conn.on('data', received.append)
        conn.on('end', conn.end)

    server = gnet.create_server(on_connection)

    def go(opts):
        def on_connect():
            with pytest.raises(TypeError) as info:
                client.write('broken', 'buffer')
            raised.append((info.value.code, info.value.name, str(info.value)))
            client.end()
        client = gnet.connect(opts, on_connect)
        client.resume()
        client.on('close', lambda had_error: server.close())

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert raised == [('ERR_INVALID_ARG_TYPE', 'TypeError', 'Second argument must be a buffer')]
    assert received == []


def _unconnected_descriptor(transport, tmp_path):
    """A bound, unconnected stream socket of ``transport``'s kind, given up as a descriptor."""
    if transport == 'ipc':
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(tmp_path / 'client'))
        return sock.detach(), None
    sock = socket.socket(socket.AF_INET6 if transport == 'tcp6' else socket.AF_INET)
    sock.bind(('::1' if transport == 'tcp6' else '127.0.0.1', 0))
    port = sock.getsockname()[1]
    return sock.detach(), port


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_connect_on_a_socket_made_from_an_unconnected_descriptor_connects_it(
        transport, tmp_path):
    """Socket({fd}) of a bound, unconnected socket, then connect(): that very descriptor
    is connected (a TCP one keeps its bound port), as Node connects the handle it has."""
    seen = {}
    server = gnet.create_server(lambda conn: (conn.on('data', lambda d: seen.update(data=d)),
                                              conn.on('end', conn.end)))

    def go(opts):
        fd, port = _unconnected_descriptor(transport, tmp_path)
        client = gnet.Socket({'fd': fd})
        seen['before'] = (client.ready_state, client.pending)

        def on_connect():
            seen['connect'] = (client._handle.fileno == fd, client.local_port == port)
            client.end(b'hello')
        client.connect(opts, on_connect)
        client.resume()
        client.on('close', lambda had_error: (seen.update(had_error=had_error), server.close()))

    listen(server, transport, tmp_path, go)
    run_bounded()
    assert seen == {'before': ('open', False), 'connect': (True, True), 'data': b'hello',
                    'had_error': False}
