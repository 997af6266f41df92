"""A closed socket is freed by reference counting: gnet leaves no reference cycle.

With ``c.pipe(c)`` (and no user closure over the socket) every object of a
finished connection -- the sockets, their stream states, runners and
greenlets, the pipe, and under TLS the TLS handle, its watchers and record
layer -- must be freed at once, without the cyclic collector.
The connection-rate benchmark measured the collector at about 6 µs per
connection when gnet left cycles behind (docs/performance.md).
"""

import gc

import pytest
from gevent.event import Event

import gnet
from gnet.testing import socket_checks
from gnet.testing.layers import PLAIN, tls_layer
from net_helpers import TRANSPORTS, WAIT, connect_options, listen_args, require, wait_close

CONNECTIONS = 5


def _gnet_objects(objects):
    return sorted({type(obj).__name__ for obj in objects
                   if type(obj).__module__.startswith('gnet.')})


@pytest.mark.parametrize('layer', ['net', 'tls'])
@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_piped_echo_connection_leaves_no_cyclic_garbage(transport, layer):
    closed = []
    all_closed = Event()

    def on_close(*_args):
        closed.append(True)
        if len(closed) == CONNECTIONS + 1:
            all_closed.set()

    def on_connection(conn):
        conn.on('close', on_close)
        conn.pipe(conn)

    require(transport)
    over = getattr(socket_checks, transport)(tls_layer() if layer == 'tls' else PLAIN)
    with socket_checks.serving(over, on_connection) as server:
        def one_connection():
            client = over.layer.socket({})
            client.connect(socket_checks.connect_options(server))
            got = []
            client.on('data', got.append)
            client.end(b'ping')
            wait_close(client)
            assert b''.join(got) == b'ping'

        one_connection()  # warm-up: module caches, the reaper's timer
        gc.collect()
        flags = gc.get_debug()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            for _ in range(CONNECTIONS):
                one_connection()
            assert all_closed.wait(WAIT), 'the server saw %d closes' % len(closed)
            gc.collect()
            leftovers = _gnet_objects(gc.garbage)
        finally:
            gc.set_debug(flags)
            del gc.garbage[:]
    assert not leftovers, 'gnet objects freed only by the cyclic collector: %s' % leftovers


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_closed_sockets_with_a_long_idle_timeout_are_freed(transport, tmp_path):
    """Issue 18: destroy() releases the idle timer, so a closed socket is not
    kept alive (with all it references) until its timeout would have fired."""
    count = 100

    def on_connection(conn):
        conn.set_timeout(80_000, lambda: None)
        conn.resume()

    server = gnet.create_server(on_connection)  # no list of its connections, unlike serving()
    server.listen(*listen_args(transport, tmp_path))
    gnet.once(server, 'listening', timeout=WAIT)
    try:
        gc.collect()
        before = sum(1 for obj in gc.get_objects() if isinstance(obj, gnet.Socket))
        for _ in range(count):
            client = gnet.connect(connect_options(server))
            client.set_timeout(80_000, lambda: None)
            client.resume()
            gnet.once(client, 'connect', timeout=WAIT)
            client.destroy()
            wait_close(client)
        del client
        while server._connections:  # the server side closes a moment after the client
            gnet.once(next(iter(server._connections)), 'close', timeout=WAIT)
        gc.collect()
        live = sum(1 for obj in gc.get_objects() if isinstance(obj, gnet.Socket))
    finally:
        server.close()
    assert live - before <= 1, '%d closed sockets still alive' % (live - before)
