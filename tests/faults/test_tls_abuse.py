"""Hostile TLS clients: each costs one socket and one ``'tlsClientError'``, nothing else.

Guarantee (issue 20, docs/reliability.md): a ``gnet.tls`` server facing, all at
once, plain-text clients, clients that connect and never finish the
handshake, and a flood of malformed ClientHellos (a valid record header over
garbage, absurd lengths, a truncated hello then FIN, an alert instead of a
hello) reports each failed connection once as ``'tlsClientError'`` with a
Node error code, closes it, and serves a well-behaved TLS client throughout:
nothing escapes ``run()``, the server's connection count returns to zero, and
the per-test descriptor/greenlet check of tests/conftest.py finds no leak.

The hostile clients are raw cooperative sockets (they speak bytes, not TLS);
the good client is ``tls.connect`` doing echo round trips.
"""

import random
import socket as stdsocket

import gevent
import pytest
from gevent import socket as gsocket
from gevent.event import Event

import gnet
import gnet.tls as tls
from net_helpers import WAIT

#: how many of each kind of hostile client
PER_KIND = 40
HANDSHAKE_TIMEOUT_MS = 300


def _record(content_type, body, version=b'\x03\x01'):
    return bytes([content_type]) + version + len(body).to_bytes(2, 'big') + body


def malformed_hellos(rng):
    """Byte strings a broken or hostile client may send instead of a ClientHello."""
    garbage = bytes(rng.getrandbits(8) for _ in range(200))
    return [
        _record(0x16, garbage),                                  # a handshake record of garbage
        _record(0x16, b'\x01\xff\xff\xff' + garbage),            # a hello claiming 16 MiB
        b'\x16\x03\x01\xff\xff' + garbage,                        # a record longer than allowed
        _record(0x16, b'\x01\x00\x00\x30\x03\x03' + garbage[:20]),  # a hello cut short
        _record(0x15, b'\x02\x28'),                              # an alert, not a hello
        _record(0x17, garbage),                                  # application data first
        b'\x80\x2e\x01\x00\x02' + garbage[:0x2b],                # SSLv2-style hello
        garbage,                                                 # noise
    ]


def hostile(port, payload, shutdown):
    """Connect, send ``payload`` (maybe nothing), optionally FIN, read until closed."""
    with gsocket.create_connection(('127.0.0.1', port), WAIT) as raw:
        raw.settimeout(WAIT)
        if payload:
            try:
                raw.sendall(payload)
            except OSError:  # the server may already have hung up: that is its right
                return
        if shutdown:
            raw.shutdown(stdsocket.SHUT_WR)
        try:
            while raw.recv(65536):
                pass
        except OSError:
            pass


@pytest.mark.timeout(120)
def test_plain_text_stalled_and_malformed_clients_each_cost_one_socket(pki):
    rng = random.Random(20)
    failures = []
    server = tls.create_server({'key': pki.leaf.key, 'cert': pki.leaf.cert,
                                'handshake_timeout': HANDSHAKE_TIMEOUT_MS},
                               lambda conn: conn.pipe(conn))
    server.on('tlsClientError', lambda err, sock: failures.append(err.code))
    server.listen(0, '127.0.0.1')
    gnet.once(server, 'listening', timeout=WAIT)
    port = server.address()['port']

    jobs = []
    for n in range(PER_KIND):
        jobs.append(gevent.spawn(hostile, port, b'GET / HTTP/1.1\r\nHost: x\r\n\r\n', False))
        jobs.append(gevent.spawn(hostile, port, b'', False))  # stalls: the timeout ends it
        hellos = malformed_hellos(rng)
        jobs.append(gevent.spawn(hostile, port, hellos[n % len(hellos)], n % 2 == 0))

    # a good client keeps working while the crowd is served and shed
    good = tls.connect({'port': port, 'host': '127.0.0.1', 'ca': pki.root.cert})
    gnet.once(good, 'secureConnect', timeout=WAIT)
    received = bytearray()
    got = Event()

    def on_data(data):
        received.extend(data)
        got.set()
    good.on('data', on_data)
    for n in range(20):
        message = b'round trip %d;' % n
        expected = len(received) + len(message)
        good.write(message)
        while len(received) < expected:
            got.clear()
            assert got.wait(WAIT)
    assert bytes(received) == b''.join(b'round trip %d;' % n for n in range(20))

    gevent.joinall(jobs, timeout=60, raise_error=True)
    assert all(job.ready() for job in jobs)
    good.destroy()
    gnet.once(good, 'close', timeout=WAIT)
    deadline = gevent.Timeout(WAIT)
    with deadline:
        while server.connections or len(failures) < len(jobs):
            gevent.sleep(0.01)

    assert len(failures) == len(jobs) == 3 * PER_KIND  # once per hostile connection
    # the stalled ones, and the hellos cut short (index 3) by a client that sends no FIN
    cut_short_open = sum(1 for n in range(PER_KIND) if n % 8 == 3 and n % 2 == 1)
    assert failures.count('ERR_TLS_HANDSHAKE_TIMEOUT') == PER_KIND + cut_short_open
    assert failures.count('ERR_SSL_HTTP_REQUEST') == PER_KIND  # the plain-text ones
    assert all(code.startswith(('ERR_SSL_', 'ECONNRESET', 'ERR_TLS_')) for code in failures), failures
    server.close()
    gnet.once(server, 'close', timeout=WAIT)
