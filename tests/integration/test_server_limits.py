"""Server limits: max_connections and 'drop', block_list, connection counting, close.

Ports the behaviours of Node's test/parallel/ files:
test-net-server-max-connections.js (as a 200-connection flood),
test-net-server-max-connections-close-makes-more-available.js,
test-net-server-drop-connections.js, test-net-server-blocklist.js,
test-net-server-close.js, test-net-server-connections.js (the count),
test-net-server-capture-rejection.js (as: a raising listener is an
uncaught exception and the server goes on).
"""

import logging
import socket

import pytest
from gevent.event import AsyncResult, Event
from gevent.pool import Group

import gnet
from gnet import errors
from server_helpers import (WAIT, closed_event, make_harness, needs_ipv6, raw_connect,
                            read_until_closed, recv_exactly, target_of, wait_for)

FLOOD = 200
LIMIT = 10


@pytest.fixture(params=['tcp4', 'ipc'])
def transport(request):
    return request.param


@pytest.fixture
def h(request, tmp_path, transport):
    return make_harness(request, tmp_path, transport)


@pytest.fixture
def h4(request, tmp_path):
    return make_harness(request, tmp_path, 'tcp4')


# -- max_connections -----------------------------------------------------------------------
@pytest.mark.timeout(40)
def test_flood_of_200_with_max_connections_10(h):
    held = []
    all_held = Event()

    def on_connection(conn):
        held.append(conn)
        conn.resume()
        conn.write(b'welcome')
        if len(held) == LIMIT:
            all_held.set()
    server = h.serving(on_connection)
    server.max_connections = LIMIT
    drops = []
    all_dropped = Event()

    def on_drop(info):
        drops.append(info)
        if len(drops) == FLOOD - LIMIT:
            all_dropped.set()
    server.on('drop', on_drop)
    target = target_of(server)
    outcome = {}

    def client(index):
        with raw_connect(target) as sock:
            first = sock.recv(16)
            outcome[index] = 'accepted' if first == b'welcome' else 'dropped'
            if first:
                read_until_closed(sock)  # held until the server ends it
    group = Group()
    try:
        for index in range(FLOOD):
            group.spawn(client, index)
        wait_for(all_held, 'the first %d connections' % LIMIT)
        wait_for(all_dropped, '%d drop events' % (FLOOD - LIMIT), timeout=20)
        assert server.connections == LIMIT
        closes = [closed_event(conn) for conn in held]
        for conn in held:
            conn.end()
        assert group.join(timeout=20), 'some flooding client never saw its socket closed'
        for done in closes:
            wait_for(done, "a held connection's 'close'")
    finally:
        group.kill()
    assert sorted(outcome.values()).count('dropped') == FLOOD - LIMIT
    assert len(outcome) == FLOOD and len(drops) == FLOOD - LIMIT
    if h.transport == 'ipc':
        assert drops == [None] * len(drops)
    else:
        assert all(info['remote_address'] == '127.0.0.1' for info in drops)
    count = AsyncResult()
    server.get_connections(lambda err, n: count.set(n))
    assert wait_for(count, 'get_connections') == 0


def test_closing_a_connection_makes_room_for_another(h):
    received = []

    def on_connection(conn):
        conn.on('data', lambda data: (received.append(data), conn.write(b'acknowledged')))
    server = h.serving(on_connection)
    server.max_connections = 1
    target = target_of(server)

    def attempt():
        sock = h.raw_client(target)
        sock.sendall(str(len(h.raw) - 1).encode())
        return sock
    first = attempt()
    assert recv_exactly(first, 12) == b'acknowledged'
    assert read_until_closed(attempt())[1] in ('eof', 'reset')
    conn = next(iter(server._connections))
    closed = closed_event(conn)
    first.close()
    wait_for(closed, "the first connection's 'close'")
    third = attempt()
    assert recv_exactly(third, 12) == b'acknowledged'
    assert read_until_closed(attempt())[1] in ('eof', 'reset')
    assert received == [b'0', b'2']


def test_drop_info_of_tcp_peers(h4):
    first_conn = AsyncResult()
    server = h4.serving(first_conn.set)
    server.max_connections = 1
    dropped = AsyncResult()
    server.on('drop', dropped.set)
    h4.raw_client(server)
    wait_for(first_conn, "'connection'")
    second = h4.raw_client(server)
    info = wait_for(dropped, "'drop'")
    assert set(info) == {'local_address', 'local_port', 'local_family', 'remote_address',
                         'remote_port', 'remote_family'}
    assert (info['local_port'], info['remote_port']) == (server.address()['port'],
                                                          second.getsockname()[1])
    assert info['local_family'] == info['remote_family'] == 'IPv4'


def test_max_connections_validation(h4):
    server = h4.server()
    assert server.max_connections is None
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        server.max_connections = 'x'
    with pytest.raises(errors.ERR_OUT_OF_RANGE):
        server.max_connections = -1
    server.max_connections = 5
    server.maxConnections = None  # no limit again
    assert server.max_connections is None


def test_a_raising_drop_listener_is_reported_and_accepting_goes_on(h4, caplog):
    server = h4.serving()
    server.max_connections = 0
    drops = []
    two = Event()

    def on_drop(info):
        drops.append(info)
        if len(drops) == 2:
            two.set()
        raise RuntimeError('listener bug')
    server.on('drop', on_drop)
    with caplog.at_level(logging.ERROR, logger='gnet'):
        first = h4.raw_client(server)
        assert read_until_closed(first)[1] in ('eof', 'reset')
        second = h4.raw_client(server)
        wait_for(two, 'the second drop')
        assert read_until_closed(second)[1] in ('eof', 'reset')
    assert any('listener bug' in str(record.exc_info[1]) for record in caplog.records
               if record.exc_info)
    assert server.listening


# -- block_list ----------------------------------------------------------------------------
def test_blocked_peers_are_closed_without_connection_or_drop(h4):
    block_list = gnet.BlockList()
    block_list.add_address('127.0.0.1')
    server = h4.server({'blockList': block_list}, h4.never("'connection'"))
    server.on('drop', h4.never("'drop'"))
    server.max_connections = 100
    h4.listen(server)
    client = gnet.connect({'port': server.address()['port'], 'host': '127.0.0.1',
                           'local_address': '127.0.0.1'})
    h4.track(client)  # only a 'close' listener, as in Node's test
    assert wait_for(closed_event(client), "the client's 'close'") is None
    assert server.connections == 0


@needs_ipv6
def test_block_list_on_a_dual_stack_server_sees_mapped_ipv4_peers(h4):
    block_list = gnet.BlockList()
    block_list.add_address('127.0.0.1')
    server = h4.server({'block_list': block_list}, lambda conn: conn.pipe(conn))
    gnet.once(server.listen(0), 'listening', timeout=WAIT)
    port = server.address()['port']
    blocked = h4.raw_client(('127.0.0.1', port))  # seen as ::ffff:127.0.0.1
    assert read_until_closed(blocked) == (b'', 'eof')
    allowed = h4.raw_client(('::1', port))
    allowed.sendall(b'ping')
    assert recv_exactly(allowed, 4) == b'ping'


def test_block_list_does_not_apply_to_ipc(request, tmp_path):
    h = make_harness(request, tmp_path, 'ipc')
    block_list = gnet.BlockList()
    block_list.add_subnet('0.0.0.0', 0)
    block_list.add_subnet('::', 0, 'ipv6')
    server = h.serving({'block_list': block_list}, lambda conn: conn.pipe(conn))
    client = h.raw_client(server)
    client.sendall(b'ping')
    assert recv_exactly(client, 4) == b'ping'


# -- close and the connection count --------------------------------------------------------
def test_close_emits_once_after_every_connection_closed(h):
    events, sockets = [], []
    server_closed, both_closed = Event(), Event()

    def on_client_close(*_):
        events.append('client')
        if events.count('client') == 2:
            both_closed.set()

    def on_connection(conn):
        conn.on('close', on_client_close)
        sockets.append(conn)
        if len(sockets) == 2:
            server.close()
            for sock in sockets:
                sock.destroy()
    server = h.serving(on_connection)
    server.on('close', lambda: (events.append('server'), server_closed.set()))
    h.raw_client(server)
    h.raw_client(server)
    wait_for(server_closed, "the server's 'close'")
    assert server.connections == 0
    # node v20 gives ['server', 'client', 'client']: the count drops in each
    # socket's _destroy, and the sockets' 'close' comes a loop turn later
    wait_for(both_closed, "the connections' 'close'")
    assert events == ['server', 'client', 'client']


def test_the_count_follows_connections_as_they_close(h):
    server = h.serving(lambda conn: conn.resume())
    clients = [h.raw_client(server) for _ in range(3)]
    while server.connections < 3:
        gnet.once(server, 'connection', timeout=WAIT)
    conns = list(server._connections)
    closes = [closed_event(conn) for conn in conns]
    for client in clients:
        client.close()
    for done in closes:
        wait_for(done, "a connection's 'close'")
    assert server.connections == 0


def test_an_accepted_socket_nobody_reads_still_closes_at_the_peers_fin(h):
    accepted = AsyncResult()
    server = h.serving(accepted.set)  # no 'data' listener, not paused: Node reads anyway
    client = h.raw_client(server)
    conn = wait_for(accepted, "'connection'")
    closed = closed_event(conn)
    client.shutdown(socket.SHUT_WR)
    assert closed.wait(2), "the server side never saw the peer's FIN"
