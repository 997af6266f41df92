"""Waiting inside a socket's own listener: ``gnet.once`` and ``for chunk in sock``.

The line-by-line port of Node's ``const [chunk] = await once(socket, 'data')``
inside a ``'connection'`` listener (docs/porting.md, "Awaiting inside a
listener"): the wait pumps the socket's own greenlet, so the socket goes on
reading while its listener waits (gnet/runtime/executor.py, "Pumping").  A
listener blocked in anything else (a gevent sleep) still stalls only its own
socket: tests/integration/test_socket_io.py
``test_a_blocking_listener_stalls_only_its_own_socket``.
"""

import gevent
import pytest
from gevent.event import Event

import gnet
from net_helpers import TRANSPORTS, WAIT, collect, connect_options, serving, wait_close

GREETING = bytes([5, 1, 0])
METHOD = bytes([5, 0])
REQUEST = bytes([5, 1, 0, 1, 127, 0, 0, 1, 0, 80])
REPLY = bytes([5, 0, 0, 1, 127, 0, 0, 1, 0, 80])


def socks_like(sock):
    """The server side, as ported from Node: every read is an awaited once()."""
    greeting, = gnet.once(sock, 'data')
    assert greeting == GREETING
    sock.write(METHOD)
    request, = gnet.once(sock, 'data')
    assert request == REQUEST
    sock.write(REPLY)
    sock.on('data', sock.write)  # then relay (here: echo)
    sock.on('end', sock.end)


def socks_client(server, payload):
    """Handshake, one echoed payload, half-close; returns the echo."""
    sock = gnet.connect(connect_options(server))
    gnet.once(sock, 'connect', timeout=WAIT)
    sock.write(GREETING)
    assert gnet.once(sock, 'data', timeout=WAIT) == (METHOD,)
    sock.write(REQUEST)
    assert gnet.once(sock, 'data', timeout=WAIT) == (REPLY,)
    sock.write(payload)
    echo, = gnet.once(sock, 'data', timeout=WAIT)
    sock.end()
    wait_close(sock)
    return echo


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_socks_like_handshake_awaits_data_inside_the_connection_listener(transport, tmp_path):
    with serving(transport, socks_like, tmp_path) as server:
        assert socks_client(server, b'hello') == b'hello'


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_handshakes_of_several_clients_proceed_independently(transport, tmp_path):
    with serving(transport, socks_like, tmp_path) as server:
        clients = [gevent.spawn(socks_client, server, b'client %d' % i) for i in range(4)]
        gevent.joinall(clients, timeout=WAIT, raise_error=True)
        assert sorted(c.value for c in clients) == [b'client %d' % i for i in range(4)]


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_iterating_inside_the_connection_listener(transport, tmp_path):
    def on_connection(sock):
        chunks = [chunk for chunk in sock]  # Node's for await (const chunk of socket)
        sock.end(b'got ' + b''.join(chunks))
    with serving(transport, on_connection, tmp_path, allow_half_open=True) as server:
        client = gnet.connect(connect_options(server))
        got, _ = collect(client)
        client.write(b'one ')
        client.end(b'two')
        wait_close(client)
        assert b''.join(got) == b'got one two'


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_the_socket_is_served_while_its_listener_waits(transport, tmp_path):
    def on_connection(sock):
        sock.on('data', sock.write)   # served while the listener below waits
        gnet.once(sock, 'end')
        sock.end(b'|bye')
    with serving(transport, on_connection, tmp_path, allow_half_open=True) as server:
        client = gnet.connect(connect_options(server))
        got, _ = collect(client)
        client.write(b'ping')
        if not got:
            gnet.once(client, 'data', timeout=WAIT)
        client.end()
        wait_close(client)
        assert b''.join(got) == b'ping|bye'


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_data_listener_that_awaits_the_next_chunk_sees_it_too(transport, tmp_path):
    """As in Node: the awaited chunk re-enters the listener, then the await resumes."""
    trace = []

    def on_connection(sock):
        def on_data(data):
            trace.append(('data', data))
            if data == b'first':
                sock.write(b'ok')
                trace.append(('awaited', gnet.once(sock, 'data')[0]))
                sock.end()
        sock.on('data', on_data)
    with serving(transport, on_connection, tmp_path) as server:
        client = gnet.connect(connect_options(server))
        client.write(b'first')
        assert gnet.once(client, 'data', timeout=WAIT) == (b'ok',)
        client.write(b'second')
        wait_close(client)
        assert trace == [('data', b'first'), ('data', b'second'), ('awaited', b'second')]


def wait_with_timeout_argument(sock):
    """gnet.once's own timeout: an ordinary TimeoutError (API.md section 6)."""
    try:
        gnet.once(sock, 'data', timeout=0.05)
    except TimeoutError as err:
        assert err.code == 'ETIMEDOUT'
        return True
    return False


def wait_in_a_gevent_timeout_block(sock):
    """A gevent.Timeout around the wait passes through as it is."""
    try:
        with gevent.Timeout(0.05):
            gnet.once(sock, 'data')
    except gevent.Timeout:
        return True
    return False


@pytest.mark.parametrize('wait', [wait_with_timeout_argument, wait_in_a_gevent_timeout_block])
@pytest.mark.parametrize('transport', TRANSPORTS)
def test_once_with_a_timeout_inside_a_listener(transport, tmp_path, wait):
    def on_connection(sock):
        if wait(sock):
            sock.end(b'timed out')
    with serving(transport, on_connection, tmp_path) as server:
        client = gnet.connect(connect_options(server))
        got, _ = collect(client)
        wait_close(client)
        assert b''.join(got) == b'timed out'


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_waiting_for_another_socket_inside_a_listener(transport, tmp_path):
    """A proxy's 'connection' listener awaits its upstream's 'connect', then pipes."""
    (tmp_path / 'front').mkdir()
    with serving(transport, lambda c: c.pipe(c), tmp_path) as upstream_server:
        def on_connection(client):
            upstream = gnet.connect(connect_options(upstream_server))
            gnet.once(upstream, 'connect')
            client.pipe(upstream)
            upstream.pipe(client)
        with serving(transport, on_connection, tmp_path / 'front') as server:
            sock = gnet.connect(connect_options(server))
            sock.write(b'through')
            assert gnet.once(sock, 'data', timeout=WAIT) == (b'through',)
            sock.destroy()
            wait_close(sock)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_wait_on_a_closed_socket_ends_its_greenlet(transport, tmp_path):
    """The peer leaves before sending: the wait can never end (Node forgets the await)."""
    unwound, closed = Event(), Event()

    def on_connection(sock):
        sock.on('close', lambda *_: closed.set())
        try:
            gnet.once(sock, 'data')
        finally:
            unwound.set()
    with serving(transport, on_connection, tmp_path) as server:
        client = gnet.connect(connect_options(server))
        gnet.once(client, 'connect', timeout=WAIT)
        client.end()
        wait_close(client)
        assert closed.wait(WAIT)
        assert unwound.wait(WAIT)  # the greenlet ended (the leak check sees no greenlet left)


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_run_serves_a_listener_that_waits(transport, tmp_path):
    """Under gnet.run(), as a ported program runs: run() returns once all is closed."""
    def on_connection(sock):
        socks_like(sock)
        sock.on('close', lambda *_: server.close())
    with serving(transport, on_connection, tmp_path) as server:
        echoed = gnet.spawn(socks_client, server, b'under run')
        with gevent.Timeout(WAIT):
            gnet.run()
        assert echoed.dead and echoed.value == b'under run'
