"""gnet.tls over a stream that is no descriptor: the in-memory pair (Node's JSStreamSocket).

The same TLS socket runs over :class:`gnet.net.handles.duplex.DuplexHandle`:
the handshake, data both ways with backpressure, and a half-close, with no
socket anywhere.
"""

import hashlib
import os

from gevent.event import AsyncResult, Event

import gnet
import gnet.tls as tls
from gnet.testing.memory import memory_pair

WAIT = 10


def tls_pair(pki, **client_options):
    """(client, server) TLS sockets over the two ends of a memory pair."""
    a, b = memory_pair(capacity=16384)
    context = tls.create_secure_context(key=pki.leaf.key, cert=pki.leaf.chain)
    server = tls.TLSSocket(a, {'is_server': True, 'secure_context': context})
    client = tls.connect(dict({'socket': b, 'ca': pki.root.cert, 'servername': 'localhost'},
                              **client_options))
    return client, server


def test_a_handshake_and_an_exchange_over_memory(pki):
    client, server = tls_pair(pki)
    secured = AsyncResult()
    server.on('secure', lambda: secured.set(True))
    server.on('data', lambda chunk: server.write(chunk[::-1]))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    assert secured.get(timeout=WAIT) and client.authorized is True
    assert client.remote_address is None and client.get_protocol() == 'TLSv1.3'
    client.write(b'over memory')
    assert gnet.once(client, 'data', timeout=WAIT) == (b'yromem revo',)
    client.destroy()
    server.destroy()


def test_the_server_drives_openssl_only_when_a_flight_has_come(pki, monkeypatch):
    """A full TLS 1.3 handshake takes the server two do_handshake calls: the
    ClientHello, then the client's Finished -- none that could only ask for
    more ciphertext (each such call costs OpenSSL a turn and an exception)."""
    import ssl
    calls = {True: 0, False: 0}
    original = ssl.SSLObject.do_handshake

    def counted(self):
        calls[self.server_side] += 1
        return original(self)
    monkeypatch.setattr(ssl.SSLObject, 'do_handshake', counted)
    client, server = tls_pair(pki)
    secured = AsyncResult()
    server.on('secure', lambda: secured.set(True))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    assert secured.get(timeout=WAIT) and server.get_protocol() == 'TLSv1.3'
    assert calls[True] == 2
    assert calls[False] >= 2  # the client's first call writes its hello
    client.destroy()
    server.destroy()


def test_two_mib_with_backpressure_and_a_half_close_over_memory(pki):
    client, server = tls_pair(pki)
    digest, count = hashlib.sha256(), [0]
    ended = Event()

    def on_data(chunk):
        digest.update(chunk)
        count[0] += len(chunk)
    server.on('data', on_data)
    server.on('end', lambda: (ended.set(), server.end(b'bye')))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    payload = os.urandom(2 << 20)
    refused = 0
    for offset in range(0, len(payload), 65536):
        if not client.write(payload[offset:offset + 65536]):
            refused += 1
            gnet.once(client, 'drain', timeout=WAIT)
    client.end()
    assert ended.wait(WAIT), 'the server read %d bytes and no end' % count[0]
    assert count[0] == len(payload) and digest.digest() == hashlib.sha256(payload).digest()
    assert refused > 0, 'no backpressure reached the TLS socket over memory'
    assert gnet.once(client, 'data', timeout=WAIT) == (b'bye',)
    gnet.once(client, 'close', timeout=WAIT)


def test_good_records_before_a_forged_one_are_delivered_then_the_error(pki):
    """A read takes every record already received; a forged record after good ones
    must not cost the good plaintext: 'data' for it first, then the error."""
    client_end, tap_client = memory_pair(capacity=1 << 20)
    tap_server, server_end = memory_pair(capacity=1 << 20)
    context = tls.create_secure_context(key=pki.leaf.key, cert=pki.leaf.chain)
    server = tls.TLSSocket(server_end, {'is_server': True, 'secure_context': context})
    client = tls.connect({'socket': client_end, 'ca': pki.root.cert, 'servername': 'localhost'})
    tap_server.on('data', tap_client.write)  # server -> client untouched
    held = bytearray()
    secure = Event()

    def client_to_server(chunk):
        if not secure.is_set():
            tap_server.write(chunk)
            return
        held.extend(chunk)
    tap_client.on('data', client_to_server)
    got, failed = [], AsyncResult()
    server.on('data', got.append)
    server.on('error', failed.set)
    gnet.once(client, 'secureConnect', timeout=WAIT)
    if not server._secure_established:
        gnet.once(server, 'secure', timeout=WAIT)
    secure.set()
    for message in (b'first record', b'second record', b'forged record'):
        if not client.write(message):
            gnet.once(client, 'drain', timeout=WAIT)
    for _ in range(100):  # three application-data records, 5-byte headers
        records, offset = [], 0
        while offset + 5 <= len(held):
            length = int.from_bytes(held[offset + 3:offset + 5], 'big')
            records.append((offset, 5 + length))
            offset += 5 + length
        if len(records) >= 3 and offset == len(held):
            break
        gnet.once(tap_client, 'data', timeout=WAIT)
    assert [held[start] for start, _ in records] == [0x17, 0x17, 0x17]
    start, length = records[2]
    held[start + length - 1] ^= 0x01  # breaks the third record's authentication tag
    tap_server.write(bytes(held))  # all three arrive in one chunk
    err = failed.get(timeout=WAIT)
    assert b''.join(got) == b'first recordsecond record'
    assert err.code == 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC'
    client.destroy()
    server.destroy()
