"""gnet.tls key material: 'keylog' events, export_keying_material, the Finished messages.

What node 20 gives (checked with the same scenarios under node): each side's
'keylog' lines are NSS key log lines ending in a newline, five per TLS 1.3
handshake with one client random; the server's 'keylog' is (line, tls_socket);
export_keying_material is equal at both ends and validates its arguments
before the socket's state (ERR_TLS_INVALID_STATE before the handshake);
get_finished()/get_peer_finished() are None before the handshake, the
Finished messages after it (12 bytes in TLS 1.2, the hash's length in 1.3),
one side's own the other's peer's.
"""

import pytest
from gevent.event import AsyncResult, Event

import gnet
import gnet.tls as tls
from net_helpers import WAIT, connect_options

TLS13_LABELS = {'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
                'EXPORTER_SECRET', 'SERVER_TRAFFIC_SECRET_0', 'CLIENT_TRAFFIC_SECRET_0'}


def client_options(server, **options):
    options.update(connect_options(server))
    options.setdefault('reject_unauthorized', False)
    return options


def connected_pair(tls_server, **server_options):
    secured = AsyncResult()
    server = tls_server('tcp4', secured.set, **server_options)
    client = tls.connect(client_options(server, max_version=server_options.get('max_version')))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    return server, client, secured.get(timeout=WAIT)


def parse(lines):
    out = []
    for line in lines:
        assert isinstance(line, bytes) and line.endswith(b'\n') and line.count(b'\n') == 1
        label, random, secret = line.decode('ascii').split()
        assert len(random) == 64 and len(secret) in (64, 96)
        out.append((label, random))
    return out


def test_keylog_lines_on_client_server_and_server_socket(tls_server):
    server_lines, client_lines = [], []
    sockets = set()
    server = tls_server('tcp4')
    server.on('keylog', lambda line, sock: (server_lines.append(line), sockets.add(sock)))
    secured = AsyncResult()
    server.on('secureConnection', secured.set)
    client = tls.connect(client_options(server))
    client.on('keylog', client_lines.append)
    order = []
    client.on('keylog', lambda line: order.append('keylog'))
    client.on('secureConnect', lambda: order.append('secureConnect'))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    conn = secured.get(timeout=WAIT)
    client.end()
    gnet.once(client, 'close', timeout=WAIT)
    client_parsed, server_parsed = parse(client_lines), parse(server_lines)
    assert {label for label, _ in client_parsed} == TLS13_LABELS
    assert {label for label, _ in server_parsed} == TLS13_LABELS
    randoms = {random for _, random in client_parsed + server_parsed}
    assert len(randoms) == 1  # one client random, on both sides
    assert sorted(client_lines) == sorted(server_lines)  # the same secrets
    assert sockets == {conn} and conn.encrypted
    assert order == ['keylog'] * 5 + ['secureConnect']  # as node: every line before secureConnect


def test_keylog_follows_the_context_an_sni_callback_picks(tls_server, pki):
    lines = []
    chosen = tls.create_secure_context(key=pki.inter_leaf.key, cert=pki.inter_leaf.chain)
    server = tls_server('tcp4', sni_callback=lambda name, cb: cb(None, chosen))
    server.on('keylog', lambda line, sock: lines.append(line))
    secured = AsyncResult()
    server.on('secureConnection', secured.set)
    client = tls.connect(client_options(server, servername='a.test'))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    conn = secured.get(timeout=WAIT)
    assert conn.servername == 'a.test'
    assert client.get_peer_certificate(True)['raw'] == pki.inter_leaf.der
    assert {label for label, _ in parse(lines)} == TLS13_LABELS
    client.destroy()


def test_ssl_of_refuses_what_is_not_an_sslobject():
    from gnet.tls.keying import ssl_of
    assert ssl_of(object()) is None and ssl_of(None) is None


def test_keylog_tls12_is_client_random_line(tls_server):
    lines = []
    server = tls_server('tcp4', max_version='TLSv1.2')
    client = tls.connect(client_options(server))
    client.on('keylog', lines.append)
    gnet.once(client, 'secureConnect', timeout=WAIT)
    client.destroy()
    assert [label for label, _ in parse(lines)] == ['CLIENT_RANDOM']


def test_no_keylog_listener_no_lines_and_a_later_listener_on_a_server_side_socket(tls_server, pki):
    """A socket with no listener logs nothing; a server-side TLSSocket made over a plain
    connection, with a listener added after its construction, logs its own lines."""
    lines, secure, made = [], Event(), []

    def on_connection(raw):
        sock = tls.TLSSocket(raw, {'isServer': True, 'secure_context': tls.create_secure_context(
            key=pki.leaf.key, cert=pki.leaf.chain)})
        made.append(sock)
        sock.on('keylog', lines.append)
        sock.on('secure', secure.set)
    plain = gnet.create_server(on_connection)
    plain.listen(0, '127.0.0.1')
    gnet.once(plain, 'listening', timeout=WAIT)
    try:
        client = tls.connect(client_options(plain))
        gnet.once(client, 'secureConnect', timeout=WAIT)
        assert secure.wait(WAIT)  # every line comes before 'secure'
        assert {label for label, _ in parse(lines)} == TLS13_LABELS
        client.destroy()
    finally:
        for sock in made:
            sock.destroy()
        plain.close()


@pytest.mark.parametrize('version', ['TLSv1.2', 'TLSv1.3'])
def test_export_keying_material_and_finished_agree_across_ends(tls_server, version):
    server, client, conn = connected_pair(tls_server, max_version=version)
    for context in (None, b'abc', bytearray(b'')):
        mine = client.export_keying_material(32, 'EXPERIMENTAL-gnet', context)
        assert len(mine) == 32
        assert conn.export_keying_material(32, 'EXPERIMENTAL-gnet', context) == mine
    no_context = client.exportKeyingMaterial(16, 'EXPERIMENTAL-gnet')
    empty_context = client.export_keying_material(16, 'EXPERIMENTAL-gnet', b'')
    # RFC 5705: no context is not an empty one; RFC 8446 §7.5: in TLS 1.3 they are the same
    assert (no_context == empty_context) is (version == 'TLSv1.3')
    assert client.export_keying_material(16, 'EXPERIMENTAL-other') != mine[:16]
    size = 12 if version == 'TLSv1.2' else 32  # verify_data; 1.3: the suite's hash (SHA-256 here)
    assert client.get_protocol() == version
    if version == 'TLSv1.3' and client.get_cipher()['name'] == 'TLS_AES_256_GCM_SHA384':
        size = 48
    assert len(client.get_finished()) == size
    assert client.get_finished() == conn.get_peer_finished()
    assert client.getPeerFinished() == conn.getFinished()
    assert client.get_finished() != client.get_peer_finished()
    client.destroy()


def test_before_the_handshake(tls_server):
    server = tls_server('tcp4')
    client = tls.connect(client_options(server))
    assert client.get_finished() is None and client.get_peer_finished() is None
    with pytest.raises(gnet.errors.NodeError) as info:
        client.export_keying_material(16, 'a')
    assert info.value.code == 'ERR_TLS_INVALID_STATE'
    assert str(info.value) == 'TLS socket connection must be securely established'
    with pytest.raises(TypeError):  # arguments first, as node
        client.export_keying_material('16', 'a')
    gnet.once(client, 'secureConnect', timeout=WAIT)
    client.destroy()


@pytest.mark.parametrize('args, code, message', [
    ((), None, None),
    (('1', 'a'), 'ERR_INVALID_ARG_TYPE',
     'The "length" argument must be of type number. Received type str (\'1\')'),
    ((-1, 'a'), 'ERR_OUT_OF_RANGE',
     'The value of "length" is out of range. It must be >= 1 && <= 4294967295. Received -1'),
    ((0, 'a'), 'ERR_OUT_OF_RANGE',
     'The value of "length" is out of range. It must be >= 1 && <= 4294967295. Received 0'),
    ((1.5, 'a'), 'ERR_OUT_OF_RANGE',
     'The value of "length" is out of range. It must be an integer. Received 1.5'),
    ((16, b'a'), 'ERR_INVALID_ARG_TYPE', None),
    ((16, 'a', 'str'), 'ERR_INVALID_ARG_TYPE',
     'The "context" argument must be of type Buffer or TypedArray or DataView. '
     "Received type str ('str')"),
    ((2 ** 31, 'a'), 'ERR_OUT_OF_RANGE', None),
])
def test_export_keying_material_argument_errors(tls_server, args, code, message):
    server, client, conn = connected_pair(tls_server)
    try:
        with pytest.raises(TypeError if code in (None, 'ERR_INVALID_ARG_TYPE') else ValueError) as info:
            client.export_keying_material(*args)
        if code is not None:
            assert info.value.code == code
        if message is not None:
            assert str(info.value) == message
        assert len(client.export_keying_material(16, '')) == 16  # an empty label is fine
    finally:
        client.destroy()
