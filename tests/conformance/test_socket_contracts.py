"""Socket contracts C1, K1, T1 and a two-way 8 MiB echo, over tcp4, tcp6 and ipc.

The checks are the shipped ``gnet.testing.socket_checks`` (run together by
``gnet.testing.conformance.check_socket``); each runs here as its own test,
``test_contract[K1_no_delay_and_keep_alive-tcp4]``.  The stream contracts
(W1-W5, R1-R4, D1-D3) run over the same transports in
test_stream_contracts.py; the IDs are defined in gnet/interfaces.py.
Ports behaviours of Node's test-net-socket-setnodelay.js,
test-net-socket-setkeepalive.js (via getsockopt), test-net-socket-timeout.js,
test-net-settimeout.js, test-net-socket-timeout-unref.js,
test-net-write-connect-write.js, test-net-connect-buffer.js.
"""

import random

import pytest
from gevent.event import Event

import gnet
from gnet.testing.conformance import SOCKET_CHECKS, check_socket, ipc, tcp4, tcp6
from net_helpers import TRANSPORTS, WAIT, collect, connect_options, echo, require, serving, wait_close

pytestmark = pytest.mark.parametrize('transport', TRANSPORTS)


SOCKET_TRANSPORTS = {'tcp4': tcp4, 'tcp6': tcp6, 'ipc': ipc}


def _connected(transport, server, **opts):
    sock = gnet.Socket(opts)
    sock.connect(connect_options(server))
    gnet.once(sock, 'connect', timeout=WAIT)
    return sock


@pytest.mark.parametrize('check', SOCKET_CHECKS, ids=lambda check: '%s_%s' % (check.contract, check.name))
def test_contract(check, transport):
    require(transport)
    check.function(SOCKET_TRANSPORTS[transport]())


def test_check_socket_runs_every_socket_contract_over_a_transport(transport):
    require(transport)
    check_socket(SOCKET_TRANSPORTS[transport]())


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
