"""Socket contracts C1, K1, T1 and a two-way 8 MiB echo, over tcp4, tcp6 and ipc, plain and TLS.

The checks are the shipped ``gnet.testing.socket_checks`` (run together by
``gnet.testing.conformance.check_socket``); each runs here as its own test,
``test_contract[K1_no_delay_and_keep_alive-tcp4]``.  The stream contracts
(W1-W5, R1-R4, D1-D3) run over the same transports in
test_stream_contracts.py; the IDs are defined in gnet/interfaces.py.
Ports behaviours of Node's test-net-socket-setnodelay.js,
test-net-socket-setkeepalive.js (via getsockopt), test-net-socket-timeout.js,
test-net-settimeout.js, test-net-socket-timeout-unref.js,
test-net-write-connect-write.js, test-net-connect-buffer.js.  Under the
``tls`` layer (``gnet.testing.layers.tls_layer``) the servers are
``gnet.tls`` servers and the clients ``tls.connect`` sockets: a TLSSocket
keeps every socket contract of the transport under it.
"""

import random

import pytest
from gevent.event import Event

import gnet
from gnet.testing.conformance import SOCKET_CHECKS, check_socket, ipc, tcp4, tcp6
from gnet.testing.layers import PLAIN, tls_layer
from gnet.testing.socket_checks import connect_options, serving
from net_helpers import TRANSPORTS, WAIT, collect, echo, require, wait_close

pytestmark = [pytest.mark.parametrize('transport', TRANSPORTS),
              pytest.mark.parametrize('layer', ['net', 'tls'])]


SOCKET_TRANSPORTS = {'tcp4': tcp4, 'tcp6': tcp6, 'ipc': ipc}
LAYERS = {'net': lambda: PLAIN, 'tls': tls_layer}


def _transport(transport, layer):
    require(transport)
    return SOCKET_TRANSPORTS[transport](LAYERS[layer]())


@pytest.mark.parametrize('check', SOCKET_CHECKS, ids=lambda check: '%s_%s' % (check.contract, check.name))
def test_contract(check, transport, layer):
    check.function(_transport(transport, layer))


def test_check_socket_runs_every_socket_contract_over_a_transport(transport, layer):
    check_socket(_transport(transport, layer))


def test_tls_layer_connects_tls_sockets(transport, layer):
    over = _transport(transport, layer)
    accepted = []
    with serving(over, accepted.append) as server:
        sock = over.layer.socket({})
        sock.connect(connect_options(server))
        gnet.once(sock, over.layer.ready_event, timeout=WAIT)
        if not accepted:  # TLS 1.3: the client is secure one flight before the server
            gnet.once(server, over.layer.connection_event, timeout=WAIT)
        for end in (sock, accepted[0]):
            assert getattr(end, 'encrypted', None) is (True if layer == 'tls' else None)
        if layer == 'tls':
            assert sock.authorized and sock.get_protocol() == 'TLSv1.3'
        sock.destroy()


@pytest.mark.timeout(60)
def test_echo_8MiB_both_directions_many_chunk_sizes(transport, layer):
    rng = random.Random(1234)
    payload = rng.randbytes(8 * 1024 * 1024) if hasattr(rng, 'randbytes') else \
        bytes(rng.getrandbits(8) for _ in range(8 * 1024 * 1024))
    over = _transport(transport, layer)
    with serving(over, echo) as server:
        sock = over.layer.socket({})
        sock.connect(connect_options(server))
        gnet.once(sock, over.layer.ready_event, timeout=WAIT)
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
