"""gnet.tls.verify: chain verification through libcrypto with Node's codes.

The expected codes are what node 20 reports as ``socket.authorizationError``
for the same handshakes; test_codes_match_node checks that on the spot."""

import resource

import pytest

from gnet.testing.pki import pem_certs, pem_to_der
from gnet.tls import verify
from gnet.tls.verify import TrustStore, chain_from_sslobject, verify_chain, verify_chain_error

from tls_helpers import cases, needs_node, node_results, session_pki


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    return session_pki(tmp_path_factory)


def ders(pem):
    return [pem_to_der(block) for block in pem_certs(pem.encode() if isinstance(pem, str) else pem)]


EXPECTED = {
    'leaf': None, 'inter_leaf': None, 'inter_leaf_without_intermediate': 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'leaf_untrusted': 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'inter_leaf_untrusted': 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'root_in_chain_untrusted': 'SELF_SIGNED_CERT_IN_CHAIN', 'self_signed': 'DEPTH_ZERO_SELF_SIGNED_CERT',
    'self_signed_trusted': None, 'expired': 'CERT_HAS_EXPIRED', 'not_yet_valid': 'CERT_NOT_YET_VALID',
    'intermediate_only_trusted': 'UNABLE_TO_GET_ISSUER_CERT', 'client_cert_as_server': 'INVALID_PURPOSE',
    'default_roots': 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'rsa_leaf': None, 'exotic': None,
    'issued_by_non_ca': 'UNSPECIFIED', 'path_length_exceeded': 'PATH_LENGTH_EXCEEDED', 'two_roots_trusted': None,
}
SERVER_SIDE = {'mtls_client': None, 'mtls_no_client_cert': 'UNABLE_TO_GET_ISSUER_CERT',
               'mtls_server_cert_as_client': 'INVALID_PURPOSE', 'mtls_intermediate_client': 'INVALID_PURPOSE'}


def client_view(case):
    return verify_chain_error(ders(case['cert']), case['ca'])


def server_view(case):
    chain = ders(case['client_cert']) if case.get('client_cert') else []
    return verify_chain_error(chain, case['server_ca'], purpose='ssl_client')


def test_expected_codes(pki):
    got = {c['name']: (client_view(c) or None) and client_view(c).code for c in cases(pki) if c['name'] in EXPECTED}
    assert got == EXPECTED
    got = {c['name']: (server_view(c) or None) and server_view(c).code for c in cases(pki) if c['name'] in SERVER_SIDE}
    assert got == SERVER_SIDE


def test_error_detail(pki):
    failed = verify_chain_error(pki.inter_leaf.chain_der, [pki.other_root.cert])
    assert failed == ('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate', 20, 1)
    failed = verify_chain_error(pki.inter_leaf.chain_der + [pki.root.der], [pki.other_root.cert])
    assert (failed.code, failed.depth) == ('SELF_SIGNED_CERT_IN_CHAIN', 2)
    assert verify_chain(pki.expired.chain_der, [pki.root.cert]) == 'CERT_HAS_EXPIRED'
    assert verify_chain(pki.leaf.chain_der, [pki.root.cert.decode()]) is None  # str PEM too


def test_at_time(pki):
    in_2020, in_2040 = 1593561600, 2224483200  # the PKI is made now and valid for ten years
    assert verify_chain_error(pki.leaf.chain_der, [pki.root.cert], at_time=in_2020).code == 'CERT_NOT_YET_VALID'
    assert verify_chain_error(pki.leaf.chain_der, [pki.root.cert], at_time=in_2040).code == 'CERT_HAS_EXPIRED'
    assert verify_chain_error(pki.leaf.chain_der, [pki.root.cert]) is None


def test_bundle_and_junk(pki):
    bundle = pki.other_root.cert + b'\n' + pki.root.cert + b'trailing junk'
    assert verify_chain(pki.inter_leaf.chain_der, [bundle]) is None
    assert verify_chain(pki.inter_leaf.chain_der, []) == 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'


def test_bad_input(pki):
    with pytest.raises(ValueError):
        verify_chain([b'not a certificate'], [pki.root.cert])
    with pytest.raises(ValueError):
        verify_chain(pki.leaf.chain_der, [pki.root.cert], purpose='email')
    store = TrustStore([pki.root.cert])
    store.close()
    store.close()
    with pytest.raises(ValueError):
        store.verify(pki.leaf.chain_der)


def test_node_code_table():
    assert verify.node_code(21) == 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
    assert verify.node_code(79) == 'INVALID_CA'
    assert verify.node_code(32) == 'UNSPECIFIED'  # KEYUSAGE_NO_CERTSIGN is not in Node's table
    assert verify.error_string(10) == 'certificate has expired'
    assert 'libcrypto' in (verify.libcrypto_path() or 'libcrypto (static in _ssl)')


def rss_kb():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


def test_no_leak_over_many_verifications(pki):
    chain = pki.inter_leaf.chain_der
    ca = [pki.root.cert, pki.other_root.cert]
    store = TrustStore(ca)
    for _ in range(200):  # warm up allocator pools
        verify_chain_error(chain, ca)
        store.verify(pki.expired.chain_der)
    before = rss_kb()
    for _ in range(2000):
        assert verify_chain_error(chain, ca) is None
        assert store.verify(pki.expired.chain_der).code == 'CERT_HAS_EXPIRED'
    grown = rss_kb() - before
    store.close()
    assert grown < 2048, 'RSS grew by %d kB over 2,000 verifications' % grown
    assert verify._failures == {}


def test_chain_from_sslobject_both_sides(pki):
    """A real handshake over memory BIOs: the client sees the server's chain
    (leaf first) and the server the client's, as verify_chain wants them."""
    import ssl
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(pki.inter_leaf.chain_path, pki.inter_leaf.key_path)
    server_ctx.verify_mode = ssl.CERT_OPTIONAL
    server_ctx.load_verify_locations(cadata=pki.root.cert.decode())
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_ctx.check_hostname = False
    client_ctx.verify_mode = ssl.CERT_NONE
    client_ctx.load_cert_chain(pki.client.chain_path, pki.client.key_path)
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_ctx.wrap_bio(c_in, c_out, server_side=False)
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    done = {client: False, server: False}
    for _ in range(20):
        for side in (client, server):
            if not done[side]:
                try:
                    side.do_handshake()
                    done[side] = True
                except ssl.SSLWantReadError:
                    pass
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        if all(done.values()):
            break
    assert all(done.values())
    assert chain_from_sslobject(client) == pki.inter_leaf.chain_der
    assert chain_from_sslobject(server) == pki.client.chain_der
    assert verify_chain(chain_from_sslobject(client), [pki.root.cert]) is None
    assert verify_chain(chain_from_sslobject(server), [pki.root.cert], purpose='ssl_client') is None


@needs_node
def test_codes_match_node(pki):
    node = node_results(pki)
    mismatches = []
    for case in cases(pki):
        theirs = node[case['name']]
        mine = client_view(case)
        if (mine and mine.code, mine and mine.reason) != (theirs['client_error'], theirs['client_error_message']):
            mismatches.append((case['name'], 'client', mine, theirs['client_error'], theirs['client_error_message']))
        if case.get('request_cert'):
            mine = server_view(case)
            if (mine and mine.code) != theirs['server_error']:
                mismatches.append((case['name'], 'server', mine, theirs['server_error']))
    assert mismatches == []
