"""gnet.tls where Python's ssl left alone differs from node 20 (found by the TLS parity
scenarios, tests/parity/*/tls_*): ALPN with nothing in common is fatal, a requested client
certificate is verified after the handshake (Node's accept-all verify callback), an
SNICallback's error is the tlsClientError itself, a failed handshake's alert is sent."""

import ssl

import pytest
from gevent.event import AsyncResult

import gnet.tls as tls
from gnet.tls.record import tls_error
from net_helpers import WAIT, tls_servers


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    from gnet.testing.pki import make_pki
    return make_pki(str(tmp_path_factory.mktemp('pki')))


@pytest.fixture
def serve(pki):
    """``serve(**options)`` -> a TLS server on 127.0.0.1 with the leaf alone (closed after)."""
    with tls_servers(pki.leaf) as start:
        yield lambda **options: start('tcp4', cert=options.pop('cert', pki.leaf.cert), **options)


def outcome(client):
    """('secure' or the error's code, close's had_error) of a client, once it closed."""
    seen = []
    client.on('secureConnect', lambda: seen.append('secure'))
    client.on('error', lambda err: seen.append(err.code))
    client.on('data', lambda data: None)
    closed = AsyncResult()
    client.on('close', closed.set)
    had_error = closed.get(timeout=WAIT)
    return seen, had_error


def test_alpn_with_no_protocol_in_common_fails_both_sides(serve, pki):
    server = serve(ALPNProtocols=['h2'])
    failures = AsyncResult()
    server.on('tlsClientError', lambda err, sock: failures.set(err))
    client = tls.connect(port=server.address()['port'], host='127.0.0.1', ca=pki.root.cert,
                         ALPNProtocols=['spdy/1'])
    assert outcome(client) == (['ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL'], True)
    assert failures.get(timeout=WAIT).code == 'ERR_SSL_NO_APPLICATION_PROTOCOL'


def test_a_lenient_server_takes_an_untrusted_client_certificate_and_says_why(serve, pki):
    server = serve(ca=pki.root.cert, request_cert=True, reject_unauthorized=False)
    secured = AsyncResult()
    server.on('secureConnection', secured.set)
    client = tls.connect(port=server.address()['port'], host='127.0.0.1', ca=pki.root.cert,
                         key=pki.self_signed.key, cert=pki.self_signed.cert)
    conn = secured.get(timeout=WAIT)
    assert conn.authorized is False and conn.authorization_error == 'INVALID_PURPOSE'
    assert conn.get_peer_certificate()['subject']['CN'] == 'localhost'
    client.destroy()
    bare = tls.connect(port=server.address()['port'], host='127.0.0.1', ca=pki.root.cert)
    secured = AsyncResult()
    server.once('secureConnection', secured.set)
    conn = secured.get(timeout=WAIT)
    assert conn.authorization_error == 'UNABLE_TO_GET_ISSUER_CERT'
    assert conn.get_peer_certificate() == {}  # no certificate: no crash, as node's {}
    bare.destroy()


def test_a_rejecting_server_hangs_up_on_an_untrusted_client_certificate(serve, pki):
    server = serve(ca=pki.root.cert, request_cert=True)
    failures = AsyncResult()
    server.on('tlsClientError', lambda err, sock: failures.set((err, sock)))
    server.on('secureConnection', lambda conn: failures.set(('secureConnection?!', conn)))
    stranger = pki.issue('stranger', cn='stranger', issuer='other_root', client=True)
    client = tls.connect(port=server.address()['port'], host='127.0.0.1', ca=pki.root.cert,
                         key=stranger.key, cert=stranger.cert)
    client.on('error', lambda err: None)
    err, sock = failures.get(timeout=WAIT)
    assert (err.code, str(err)) == ('ECONNRESET', 'socket hang up')  # node 20's
    assert sock.destroyed and sock.authorization_error == 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'


def test_an_sni_callback_error_is_the_tls_client_error_and_no_alert_is_sent(serve, pki):
    refusal = ValueError('not here')
    server = serve(SNICallback=lambda name, cb: cb(refusal))
    failures = AsyncResult()
    server.on('tlsClientError', lambda err, sock: failures.set(err))
    client = tls.connect(port=server.address()['port'], host='127.0.0.1', servername='x.test')
    assert outcome(client) == (['ECONNRESET'], True)
    assert failures.get(timeout=WAIT) is refusal


def test_an_openssl_reason_python_does_not_name_is_read_from_its_text():
    exc = ssl.SSLError(1, '[SSL] tlsv1 alert no application protocol (_ssl.c:1006)')
    assert getattr(exc, 'reason', None) is None  # as ssl raises it: its table lacks the name
    err = tls_error(exc)
    assert err.code == 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL'
