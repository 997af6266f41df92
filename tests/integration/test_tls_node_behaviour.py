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


def _secured_connection(server, pki, servername, **client_options):
    """The server's side of a connection naming ``servername``, and its client."""
    secured = AsyncResult()
    server.on('secureConnection', secured.set)
    client = tls.connect(dict(port=server.address()['port'], host='127.0.0.1', ca=pki.root.cert,
                              servername=servername, reject_unauthorized=False, **client_options))
    client.on('data', lambda data: None)
    conn = secured.get(timeout=WAIT)
    return conn, client


def test_an_sni_context_keeps_the_servers_alpn_and_request_cert_and_verifies_with_its_own_cas(serve, pki):
    # node 20 (checked): the context SNICallback picks answers ALPN with the server's
    # protocols and asks for the client certificate, verified against that context's CAs
    sni_context = tls.create_secure_context(key=pki.inter_leaf.key, cert=pki.inter_leaf.chain,
                                            ca=pki.other_root.cert)
    server = serve(ca=pki.root.cert, request_cert=True, reject_unauthorized=False,
                   ALPNProtocols=['h2', 'http/1.1'], SNICallback=lambda name, cb: cb(None, sni_context))
    conn, client = _secured_connection(server, pki, 'a.test', key=pki.client.key, cert=pki.client.cert,
                                       ALPNProtocols=['http/1.1'])
    assert conn.alpn_protocol == 'http/1.1' and conn.servername == 'a.test'
    assert conn.get_peer_certificate()['issuer']['CN'] == 'gnet Test Root CA'
    # the client sends its root too (OpenSSL chains from its CAs); the SNI context trusts
    # another root, so (node 20 says the same) the chain ends in an untrusted self-signed one
    assert conn.authorized is False
    assert conn.authorization_error == 'SELF_SIGNED_CERT_IN_CHAIN'
    assert client.get_peer_certificate()['issuer']['CN'] == 'gnet Test Intermediate CA'
    client.destroy()


def test_add_context_picks_the_certificate_by_name_latest_match_first(serve, pki):
    # ports test-tls-add-context.js: options or a SecureContext; '*' matches one label;
    # an unknown name keeps the server's own context
    server = serve()
    server.add_context('*.wild.test', {'key': pki.inter_leaf.key, 'cert': pki.inter_leaf.chain})
    server.addContext('b.wild.test', tls.create_secure_context(key=pki.self_signed.key,
                                                                cert=pki.self_signed.cert))
    issuers = {}
    for name in ('a.wild.test', 'b.wild.test', 'x.y.wild.test', 'unknown'):
        conn, client = _secured_connection(server, pki, name)
        issuers[name] = client.get_peer_certificate()['issuer']['CN']
        assert conn.servername == name
        client.destroy()
    assert issuers == {'a.wild.test': 'gnet Test Intermediate CA', 'b.wild.test': 'localhost',
                       'x.y.wild.test': 'gnet Test Root CA', 'unknown': 'gnet Test Root CA'}


@pytest.mark.parametrize('hostname', ['', None])
def test_add_context_needs_a_name(serve, pki, hostname):
    server = serve()
    with pytest.raises(Exception) as info:
        server.add_context(hostname, {'key': pki.leaf.key, 'cert': pki.leaf.cert})
    assert info.value.code == 'ERR_TLS_REQUIRED_SERVER_NAME'
