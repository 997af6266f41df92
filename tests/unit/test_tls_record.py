"""gnet.tls.record: the TLS record layer without sockets -- two layers and a test moving the bytes."""

import json
import shutil
import subprocess

import pytest

from gnet.testing.pki import make_pki
from gnet.tls.context import create_secure_context
from gnet.tls.record import RecordLayer


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    return make_pki(str(tmp_path_factory.mktemp('pki')))


def pair(pki, **server_options):
    server_ctx = create_secure_context(key=pki.leaf.key, cert=pki.leaf.chain, **server_options)
    client_ctx = create_secure_context(ca=pki.root.cert)
    return (RecordLayer(client_ctx.for_client(), False, 'localhost'),
            RecordLayer(server_ctx.for_server(), True))


def shuttle(a, b):
    """Move every queued byte both ways once; True if anything moved."""
    moved = False
    for src, dst in ((a, b), (b, a)):
        data = src.take_outgoing()
        if data:
            dst.receive(data)
            moved = True
    return moved


def handshake(client, server, limit=10):
    for _ in range(limit):
        done = [client.handshake(), server.handshake()]
        if not shuttle(client, server) and all(done):
            return
    raise AssertionError('no handshake after %d round trips' % limit)


def test_a_handshake_then_data_both_ways(pki):
    client, server = pair(pki)
    assert not client.handshake_done and not client.handshake()
    handshake(client, server)
    assert client.handshake_done and server.handshake_done
    assert client.obj.version() == 'TLSv1.3'
    assert client.write(b'hello, server') == 13
    shuttle(client, server)
    assert server.read(100) == b'hello, server'
    assert server.read(100) is None  # nothing more yet: more ciphertext needed
    server.write(b'x' * 100000)
    shuttle(client, server)
    got = b''
    while len(got) < 100000:
        chunk = client.read(16384)
        assert chunk, 'the records were all delivered'
        got += chunk
    assert got == b'x' * 100000


def test_a_read_with_nothing_to_open_asks_openssl_nothing(pki, monkeypatch):
    client, server = pair(pki)
    assert server.starved  # a server has nothing to do before the ClientHello
    handshake(client, server)
    calls = []
    original = server.obj.read
    monkeypatch.setattr(server.obj, 'read', lambda *args: calls.append(args) or original(*args))
    client.write(b'one record')
    shuttle(client, server)
    assert server.read(100) == b'one record' and len(calls) == 1
    assert server.read(100) is None and server.starved and len(calls) == 1
    client.write(b'x' * 40000)  # three records: each read opens what came
    data = client.take_outgoing()
    server.receive(data[:100])  # a partial record: OpenSSL must ask for the rest
    assert server.read(65536) is None and len(calls) == 2
    server.receive(data[100:])
    got = b''
    while len(got) < 40000:
        chunk = server.read(65536)
        assert chunk, 'every record arrived'
        got += chunk
    assert got == b'x' * 40000 and server.read(65536) is None


def test_close_notify_is_a_clean_end_and_the_other_way_still_works(pki):
    client, server = pair(pki)
    handshake(client, server)
    client.close_notify()
    shuttle(client, server)
    assert server.read(10) == b'' and server.peer_closed
    server.write(b'after the half-close')  # TLS 1.3: the other direction stays open
    shuttle(client, server)
    assert client.read(100) == b'after the half-close'


@pytest.mark.parametrize('partly_read', [False, True])
def test_our_close_notify_loses_none_of_the_peer_data_already_here(pki, partly_read):
    """Python's unwrap() makes OpenSSL look for the peer's close_notify, discarding the
    records before it: the data that had arrived (or was half read) must survive."""
    client, server = pair(pki)
    handshake(client, server)
    payload = bytes(range(256)) * 400
    server.write(payload)
    shuttle(client, server)  # every record is in the client's incoming BIO
    got = client.read(1000) if partly_read else b''  # leaves the rest of a record in OpenSSL
    client.close_notify()
    while True:
        chunk = client.read(65536)
        if not chunk:
            break
        got += chunk
    assert got == payload and not client.peer_closed
    shuttle(client, server)
    server.write(b'and more after it')  # TLS 1.3 half-close: the peer writes on
    shuttle(client, server)
    assert client.read(100) == b'and more after it'


def test_a_transport_eof_without_close_notify_ends_reading_as_node_does(pki):
    client, server = pair(pki)
    handshake(client, server)
    server.receive_eof()
    assert server.read(10) == b'' and server.peer_closed


def test_plain_text_at_a_server_is_nodes_openssl_error(pki):
    _, server = pair(pki)
    server.receive(b'GET / HTTP/1.0\r\n\r\n')
    with pytest.raises(Exception) as caught:
        server.handshake()
    err = caught.value
    assert err.code == 'ERR_SSL_HTTP_REQUEST'  # node 20 gives the same for an HTTP request
    assert err.library == 'SSL routines' and err.reason == 'http request'


def test_eof_in_the_handshake_is_econnreset(pki):
    client, server = pair(pki)
    client.handshake()
    shuttle(client, server)
    server.handshake()
    client.receive_eof()
    with pytest.raises(Exception) as caught:
        client.handshake()
    assert caught.value.code == 'ECONNRESET'
    assert str(caught.value) == 'Client network socket disconnected before secure TLS connection was established'


def test_alpn_is_agreed_through_the_contexts(pki):
    server_ctx = create_secure_context(key=pki.leaf.key, cert=pki.leaf.chain).for_server()
    client_ctx = create_secure_context(ca=pki.root.cert).for_client()
    client_ctx.set_alpn_protocols(['h2', 'http/1.1'])
    server_ctx.set_alpn_protocols(['http/1.1'])
    client, server = RecordLayer(client_ctx, False, 'localhost'), RecordLayer(server_ctx, True)
    handshake(client, server)
    assert client.obj.selected_alpn_protocol() == 'http/1.1'


@pytest.mark.timeout(30)
@pytest.mark.skipif(shutil.which('node') is None, reason='node is not installed')
def test_get_ciphers_is_nodes_list_but_the_ccm_suites_python_cannot_enable():
    import gnet.tls as tls
    node = json.loads(subprocess.run(['node', '-e', 'console.log(JSON.stringify(require("tls").getCiphers()))'],
                                     capture_output=True, text=True, timeout=25, check=True).stdout)
    assert set(node) - set(tls.get_ciphers()) == {'tls_aes_128_ccm_8_sha256', 'tls_aes_128_ccm_sha256'}
    assert set(tls.get_ciphers()) <= set(node) and tls.getCiphers is tls.get_ciphers


def test_root_certificates_are_pem_texts():
    import gnet.tls as tls
    import ssl
    roots = tls.root_certificates
    assert len(roots) == len(ssl.create_default_context().get_ca_certs(binary_form=True))
    assert all(r.startswith('-----BEGIN CERTIFICATE-----') for r in roots)
    assert tls.root_certificates is roots  # read once
