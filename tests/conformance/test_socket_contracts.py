"""Socket contracts C1, K1, T1 and a two-way 8 MiB echo, over tcp4, tcp6 and ipc.

The stream contracts (W2-W5, R1-R4, D1-D3) run over the same transports in
test_stream_contracts.py; the IDs are defined in gnet/interfaces.py.
Ports behaviours of Node's test-net-socket-setnodelay.js,
test-net-socket-setkeepalive.js (via getsockopt), test-net-socket-timeout.js,
test-net-settimeout.js, test-net-socket-timeout-unref.js,
test-net-write-connect-write.js, test-net-connect-buffer.js.
"""

import random
import socket

import pytest
from gevent.event import Event
from zope.interface.verify import verifyObject

import gnet
from gnet.interfaces import IPipeHandle, ISocket, ITCPHandle
from net_helpers import TRANSPORTS, WAIT, collect, connect_options, echo, serving, wait_close

pytestmark = pytest.mark.parametrize('transport', TRANSPORTS)


def test_C1_connect_ready_order_and_queued_writes(transport, tmp_path):
    with serving(transport, echo, tmp_path) as server:
        order = []
        sock = gnet.Socket()
        sock.on('connect', lambda: order.append('connect'))
        sock.on('ready', lambda: order.append('ready'))
        chunks, ended = collect(sock)
        assert sock.connect(connect_options(server)) is sock
        assert sock.connecting and sock.pending and sock.ready_state == 'opening'
        for n in range(50):
            assert sock.write(b'%d,' % n) is True
        sock.end()
        assert order == []
        assert ended.wait(WAIT)
        assert order == ['connect', 'ready']
        assert b''.join(chunks) == b''.join(b'%d,' % n for n in range(50))
        wait_close(sock)
        verifyObject(ISocket, sock)


def _connected(transport, server, **opts):
    sock = gnet.Socket(opts)
    sock.connect(connect_options(server))
    gnet.once(sock, 'connect', timeout=WAIT)
    return sock


def _opt(sock, level, name):
    return sock._handle.sock.getsockopt(level, name)


def test_K1_no_delay_and_keep_alive(transport, tmp_path):
    with serving(transport, echo, tmp_path) as server:
        sock = gnet.Socket()
        # cached before connect: return the socket, never raise
        assert sock.set_no_delay(True) is sock
        assert sock.set_keep_alive(True, 5000) is sock
        sock.connect(connect_options(server))
        gnet.once(sock, 'connect', timeout=WAIT)
        handle = sock._handle
        if transport == 'ipc':
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
        sock.destroy()
        assert sock.set_no_delay() is sock and sock.set_keep_alive(True) is sock  # after destroy


def test_K1_server_options_apply_to_tcp_connections_only(transport, tmp_path):
    accepted = []
    with serving(transport, accepted.append, tmp_path, no_delay=True, keep_alive=True,
                 keep_alive_initial_delay=3000) as server:
        sock = _connected(transport, server)
        if not accepted:
            gnet.once(server, 'connection', timeout=WAIT)
        conn = accepted[0]
        if transport != 'ipc':
            assert _opt(conn, socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
            assert _opt(conn, socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
            assert _opt(conn, socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 3
        else:
            assert not ITCPHandle.providedBy(conn._handle)
        sock.destroy()


def test_T1_timeout_fires_without_closing_and_activity_refreshes(transport, tmp_path):
    with serving(transport, echo, tmp_path) as server:
        sock = _connected(transport, server)
        fired = Event()
        assert sock.set_timeout(60, fired.set) is sock
        assert sock.timeout == 60
        assert fired.wait(WAIT)
        assert not sock.destroyed and sock.writable
        # activity refreshes: keep writing every 20 ms for ~200 ms, no timeout
        fired.clear()
        sock.set_timeout(100)
        sock.on('timeout', fired.set)
        sock.on('data', lambda d: None)
        for _ in range(10):
            sock.write(b'ping')
            assert not fired.wait(0.02)
        assert fired.wait(WAIT)  # idle again: fires
        # 0 disables
        fired.clear()
        sock.set_timeout(0)
        assert sock.timeout == 0  # Node keeps the value given
        assert not fired.wait(0.2)
        sock.destroy()


def test_T1_bad_timeout_values(transport, tmp_path):
    sock = gnet.Socket()
    with pytest.raises(gnet.errors.ERR_INVALID_ARG_TYPE):
        sock.set_timeout('1')
    with pytest.raises(gnet.errors.ERR_OUT_OF_RANGE):
        sock.set_timeout(-1)
    sock.destroy()


@pytest.mark.timeout(60)
def test_echo_8MiB_both_directions_many_chunk_sizes(transport, tmp_path):
    rng = random.Random(1234)
    payload = rng.randbytes(8 * 1024 * 1024) if hasattr(rng, 'randbytes') else \
        bytes(rng.getrandbits(8) for _ in range(8 * 1024 * 1024))
    with serving(transport, echo, tmp_path) as server:
        sock = _connected(transport, server)
        chunks, ended = collect(sock)
        sizes = [1, 7, 512, 1500, 4096, 65536, 300000]
        offset = 0
        drained = Event()
        sock.on('drain', drained.set)
        while offset < len(payload):
            size = sizes[rng.randrange(len(sizes))]
            piece = payload[offset:offset + size]
            offset += len(piece)
            if not sock.write(piece):
                drained.clear()
                assert drained.wait(WAIT)
        sock.end()
        assert ended.wait(30)
        assert b''.join(chunks) == payload
        assert sock.bytes_written == len(payload) and sock.bytes_read == len(payload)
        wait_close(sock)
