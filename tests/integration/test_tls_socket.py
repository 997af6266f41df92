"""gnet.tls over every transport: the handshake, data, backpressure, half-close, failures.

Event orders are node 20's (checked with the same scenarios under node):
a client emits 'connect', 'ready', 'secureConnect', 'secure'; a server's
socket 'secure' before the server's 'secureConnection'; a server's failed
handshake is 'tlsClientError' (err, socket) with the socket already
destroyed, closing with had_error True and no 'error' of its own.
"""

import hashlib
import os
import socket

import gevent.socket
import pytest
from gevent.event import AsyncResult, Event

import gnet
import gnet.tls as tls
from net_helpers import TRANSPORTS, WAIT, connect_options, listen_args, require


def client_options(server, **options):
    options.update(connect_options(server))
    options.setdefault('reject_unauthorized', False)
    return options


def events_of(emitter, names, log):
    for name in names:
        emitter.on(name, lambda *args, name=name: log.append(name))


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_event_order_and_what_each_side_knows(tls_server, transport):
    server_log, client_log = [], []
    secured = AsyncResult()

    def on_connection(conn):
        server_log.append('connection')
        conn.on('secure', lambda: server_log.append('socket secure'))
    server = tls_server(transport)
    server.on('connection', on_connection)
    server.on('secureConnection', lambda conn: (server_log.append('secureConnection'), secured.set(conn)))
    client = tls.connect(client_options(server))
    events_of(client, ('connect', 'ready', 'secureConnect', 'secure'), client_log)
    gnet.once(client, 'secure', timeout=WAIT)
    conn = secured.get(timeout=WAIT)
    assert client_log == ['connect', 'ready', 'secureConnect', 'secure']
    assert server_log == ['connection', 'socket secure', 'secureConnection']
    assert client.encrypted is True and conn.encrypted is True
    assert client.get_protocol() == conn.get_protocol() == 'TLSv1.3'
    assert client.get_cipher()['version'] == 'TLSv1.3'
    assert client.alpn_protocol is False and conn.alpn_protocol is False  # none asked for
    assert conn.authorized is False  # a server that asked for no certificate
    client.destroy()


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_four_mib_echo_byte_exact_with_backpressure(tls_server, transport):
    server = tls_server(transport, lambda conn: conn.pipe(conn))
    client = tls.connect(client_options(server))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    payload = os.urandom(4 << 20)
    digest, received = hashlib.sha256(), [0]
    done = Event()

    def on_data(chunk):
        digest.update(chunk)
        received[0] += len(chunk)
        if received[0] >= len(payload):
            done.set()
    client.on('data', on_data)
    refused = 0
    for offset in range(0, len(payload), 65536):
        if not client.write(payload[offset:offset + 65536]):
            refused += 1
            gnet.once(client, 'drain', timeout=WAIT)
    assert done.wait(30), 'echoed %d of %d bytes' % (received[0], len(payload))
    assert digest.digest() == hashlib.sha256(payload).digest()
    assert refused > 0, 'write() never said to wait: no backpressure reached the TLS socket'
    assert client.bytes_written == client.bytes_read == len(payload)  # plaintext, as Node counts
    client.destroy()


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_half_close_close_notify_then_the_other_way(tls_server, transport):
    def on_secure(conn):
        got = []
        conn.on('data', got.append)
        conn.on('end', lambda: conn.end(b'you said ' + b''.join(got)))
    server = tls_server(transport, on_secure, allow_half_open=True)
    client = tls.connect(client_options(server))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    chunks = []
    client.on('data', chunks.append)
    closed = AsyncResult()
    client.on('close', closed.set)
    client.end(b'goodbye')
    gnet.once(client, 'end', timeout=WAIT)
    assert b''.join(chunks) == b'you said goodbye'
    assert closed.get(timeout=WAIT) is False


@pytest.mark.parametrize('transport', ['tcp4', 'ipc'])
def test_a_plain_text_client_is_a_tls_client_error_and_the_server_serves_on(tls_server, transport, pki):
    failures = AsyncResult()
    server = tls_server(transport)
    server.on('tlsClientError', lambda err, sock: failures.set((err, sock)))
    plain = gnet.connect(connect_options(server))
    plain.on('error', lambda err: None)
    plain.write(b'GET / HTTP/1.0\r\n\r\n')
    err, sock = failures.get(timeout=WAIT)
    assert err.code == 'ERR_SSL_HTTP_REQUEST' and err.reason == 'http request'
    assert sock.destroyed
    socket_errors = []
    sock.on('error', socket_errors.append)
    closed = AsyncResult()
    sock.on('close', closed.set)
    assert closed.get(timeout=WAIT) is True and socket_errors == []
    gnet.once(plain, 'close', timeout=WAIT)
    client = tls.connect(client_options(server))  # the server serves on
    gnet.once(client, 'secureConnect', timeout=WAIT)
    client.destroy()


def test_a_stalled_handshake_times_out(tls_server):
    failures = AsyncResult()
    server = tls_server('tcp4', handshake_timeout=200)
    server.on('tlsClientError', lambda err, sock: failures.set(err))
    with socket.create_connection(('127.0.0.1', server.address()['port'])):
        err = failures.get(timeout=WAIT)
    assert err.code == 'ERR_TLS_HANDSHAKE_TIMEOUT' and str(err) == 'TLS handshake timeout'


def test_a_client_hanging_up_mid_handshake(tls_server):
    failures = AsyncResult()
    server = tls_server('tcp4')
    server.on('tlsClientError', lambda err, sock: failures.set(err))
    with socket.create_connection(('127.0.0.1', server.address()['port'])) as raw:
        raw.sendall(b'\x16\x03\x01\x00\x10')  # the start of a ClientHello record, then FIN
        raw.shutdown(socket.SHUT_WR)
        err = failures.get(timeout=WAIT)
    assert err.code == 'ECONNRESET' and str(err) == 'socket hang up'  # node 20's words


def test_a_server_hanging_up_mid_handshake_fails_the_client():
    listener = gevent.socket.socket()  # accept() yields to the client's greenlet
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    try:
        client = tls.connect({'port': listener.getsockname()[1], 'host': '127.0.0.1'})
        errors_seen = []
        client.on('error', errors_seen.append)
        conn, _ = listener.accept()
        header = conn.recv(5, socket.MSG_WAITALL)
        assert header[:1] == b'\x16'  # a handshake record: the ClientHello
        conn.recv(int.from_bytes(header[3:5], 'big'), socket.MSG_WAITALL)  # all read: close is a FIN
        conn.close()
        closed = AsyncResult()
        client.on('close', closed.set)
        assert closed.get(timeout=WAIT) is True
    finally:
        listener.close()
    [err] = errors_seen
    assert err.code == 'ECONNRESET'
    assert str(err) == 'Client network socket disconnected before secure TLS connection was established'


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_alpn_agreed_and_none_in_common(tls_server, transport):
    server = tls_server(transport, ALPNProtocols=['h2', 'http/1.1'])
    client = tls.connect(client_options(server, ALPNProtocols=['http/1.1']))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    assert client.alpn_protocol == 'http/1.1'
    client.destroy()
    plain = tls.connect(client_options(server))
    gnet.once(plain, 'secureConnect', timeout=WAIT)
    assert plain.alpn_protocol is False
    plain.destroy()


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_starttls_upgrades_a_plain_connection_in_both_directions(pki, transport, tmp_path):
    context = tls.create_secure_context(key=pki.leaf.key, cert=pki.leaf.chain)
    upgraded = AsyncResult()

    def on_connection(conn):
        def on_line(data):
            assert data == b'STARTTLS\n'
            conn.remove_listener('data', on_line)
            conn.write(b'OK\n')
            secure = tls.TLSSocket(conn, {'is_server': True, 'secure_context': context})
            secure.on('secure', lambda: upgraded.set(secure))
            secure.on('data', lambda chunk: secure.write(chunk.upper()))
        conn.on('data', on_line)
    server = gnet.create_server(on_connection)
    require(transport)
    server.listen(*listen_args(transport, tmp_path))
    gnet.once(server, 'listening', timeout=WAIT)
    try:
        plain = gnet.connect(connect_options(server))
        plain.write(b'STARTTLS\n')
        assert gnet.once(plain, 'data', timeout=WAIT) == (b'OK\n',)
        secure = tls.connect({'socket': plain, 'reject_unauthorized': False})
        gnet.once(secure, 'secureConnect', timeout=WAIT)
        upgraded.get(timeout=WAIT)
        secure.write(b'now private')
        assert gnet.once(secure, 'data', timeout=WAIT) == (b'NOW PRIVATE',)
        secure.destroy()
    finally:
        server.close()
        for conn in list(server._connections):
            conn.destroy()


def test_a_write_before_the_handshake_is_sent_after_it(tls_server):
    server = tls_server('tcp4', lambda conn: conn.pipe(conn))
    client = tls.connect(client_options(server))
    assert client.write(b'early') is True  # queued while connecting and handshaking
    assert gnet.once(client, 'data', timeout=WAIT) == (b'early',)
    client.destroy()


def test_destroying_a_client_mid_handshake_closes_it_cleanly():
    """A server that never answers: the handshake waits, and destroy() ends it."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    try:
        client = tls.connect({'port': listener.getsockname()[1], 'host': '127.0.0.1'})
        secured = []
        client.on('secureConnect', lambda: secured.append(True))
        gnet.once(client, 'connect', timeout=WAIT)
        client.destroy()
        assert gnet.once(client, 'close', timeout=WAIT) == (False,)
        assert secured == [] and client.get_protocol() is None
    finally:
        listener.close()


# -- the peer's certificate ------------------------------------------------------------------------

def failure_of(client):
    """The client's 'error' and its close flag."""
    errors_seen = []
    client.on('error', errors_seen.append)
    closed = AsyncResult()
    client.on('close', closed.set)
    assert closed.get(timeout=WAIT) is True
    [err] = errors_seen
    return err


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_trusted_chain_and_name_is_authorized(tls_server, pki, transport):
    server = tls_server(transport, key=pki.inter_leaf.key, cert=pki.inter_leaf.chain)
    client = tls.connect(dict(connect_options(server), ca=pki.root.cert, servername='a.test'))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    assert client.authorized is True and client.authorization_error is None
    cert = client.get_peer_certificate()
    assert cert['subject']['CN'] == 'localhost' and 'DNS:a.test' in cert['subjectaltname']
    detailed = client.get_peer_certificate(True)
    assert detailed['issuerCertificate']['subject']['CN'] == 'gnet Test Intermediate CA'
    root = detailed['issuerCertificate']['issuerCertificate']
    assert root['subject']['CN'] == 'gnet Test Root CA' and root['issuerCertificate'] is root
    client.destroy()


@pytest.mark.parametrize('credential, code, message', [
    ('self_signed', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
    ('expired', 'CERT_HAS_EXPIRED', 'certificate has expired'),
    ('not_yet_valid', 'CERT_NOT_YET_VALID', 'certificate is not yet valid'),
])
def test_an_untrusted_server_fails_the_client_with_nodes_code(tls_server, pki, credential, code, message):
    cred = getattr(pki, credential)
    server = tls_server('tcp4', key=cred.key, cert=cred.chain)
    server.on('tlsClientError', lambda err, sock: None)
    secured = []
    client = tls.connect(dict(connect_options(server), ca=pki.root.cert))
    client.on('secureConnect', lambda: secured.append(True))
    err = failure_of(client)
    assert (err.code, str(err)) == (code, message) and secured == []
    lenient = tls.connect(dict(connect_options(server), ca=pki.root.cert, reject_unauthorized=False))
    gnet.once(lenient, 'secureConnect', timeout=WAIT)
    assert lenient.authorized is False and lenient.authorization_error == code
    lenient.destroy()


def test_a_name_the_certificate_does_not_have_is_altname_invalid(tls_server, pki):
    server = tls_server('tcp4')
    server.on('tlsClientError', lambda err, sock: None)
    client = tls.connect(dict(connect_options(server), ca=pki.root.cert, servername='b.test'))
    err = failure_of(client)
    assert err.code == 'ERR_TLS_CERT_ALTNAME_INVALID' and err.host == 'b.test'
    assert str(err).startswith("Hostname/IP does not match certificate's altnames: Host: b.test.")


def test_a_check_server_identity_option_decides(tls_server, pki):
    server = tls_server('tcp4')
    seen = []

    def accept_any(host, cert):
        seen.append((host, cert['subject']['CN']))
        return None
    client = tls.connect(dict(connect_options(server), ca=pki.root.cert, servername='b.test',
                              check_server_identity=accept_any))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    assert seen == [('b.test', 'localhost')] and client.authorized is True
    client.destroy()


@pytest.mark.parametrize('transport', ['tcp4', 'ipc'])
def test_mutual_tls(tls_server, pki, transport):
    secured = AsyncResult()
    server = tls_server(transport, request_cert=True, ca=pki.root.cert)
    server.on('secureConnection', secured.set)
    client = tls.connect(dict(connect_options(server), ca=pki.root.cert, key=pki.client.key,
                              cert=pki.client.cert))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    conn = secured.get(timeout=WAIT)
    assert conn.authorized is True
    assert conn.get_peer_certificate()['subject']['CN'] == 'gnet client'
    client.destroy()


def test_mutual_tls_without_a_client_certificate_is_refused(tls_server, pki):
    failures = AsyncResult()
    server = tls_server('tcp4', request_cert=True, ca=pki.root.cert)
    server.on('tlsClientError', lambda err, sock: failures.set(err))
    client = tls.connect(dict(connect_options(server), ca=pki.root.cert))
    err = failures.get(timeout=WAIT)
    assert err.code == 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE'
    # the server's alert reaches the client (TLS 1.3: after its 'secureConnect'), as in node
    assert failure_of(client).code == 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'


def test_starttls_over_a_connecting_socket_sends_its_queued_writes_first():
    """As test-socket-writes-before-passed-to-tls-socket.js, with more than loopback
    buffers hold: the write still in flight at the take-over goes out whole, then TLS."""
    head = os.urandom(8 << 20)
    received = bytearray()
    done = Event()

    def on_connection(conn):
        def on_data(chunk):
            received.extend(chunk)
            if len(received) > len(head):
                done.set()
        conn.on('data', on_data)
        conn.on('error', lambda err: None)
    server = gnet.create_server(on_connection)
    server.listen(0, '127.0.0.1')
    gnet.once(server, 'listening', timeout=WAIT)
    try:
        raw = gnet.connect(server.address()['port'], '127.0.0.1')
        results = []
        raw.write(head, results.append)
        secure = tls.connect({'socket': raw, 'reject_unauthorized': False})
        secure.on('error', lambda err: None)
        assert done.wait(30), 'got %d bytes' % len(received)
        assert bytes(received[:len(head)]) == head and received[len(head)] == 0x16  # a handshake record
        assert results == [None]
        secure.destroy()
    finally:
        server.close()
        for conn in list(server._connections):
            conn.destroy()


def test_a_session_from_the_session_event_resumes_the_next_connection(tls_server, pki):
    server = tls_server('tcp4', lambda conn: conn.pipe(conn))
    options = dict(connect_options(server), ca=pki.root.cert)
    first = tls.connect(options)
    sessions = []
    first.on('session', sessions.append)
    gnet.once(first, 'secureConnect', timeout=WAIT)
    first.write(b'x')  # the tickets come after the handshake: read something
    gnet.once(first, 'data', timeout=WAIT)
    if not sessions:
        gnet.once(first, 'session', timeout=WAIT)
    assert first.is_session_reused() is False and first.get_session() is not None
    first.end()
    second = tls.connect(dict(options, session=sessions[-1]))
    gnet.once(second, 'secureConnect', timeout=WAIT)
    assert second.is_session_reused() is True and second.authorized is True
    second.destroy()
