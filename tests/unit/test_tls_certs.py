"""gnet.tls.certs: Node's getPeerCertificate dicts, compared key by key with
what node 20's tls sockets give for the same certificates and chains."""

import hashlib

import pytest

from gnet.testing.pki import pem_certs, pem_to_der
from gnet.tls import der
from gnet.tls.certs import Certificate, certificate_dict, check_issued, peer_certificate

from tls_helpers import cases, needs_node, node_results, plain, session_pki


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    return session_pki(tmp_path_factory)


def ders(pem):
    return [pem_to_der(block) for block in pem_certs(pem.encode() if isinstance(pem, str) else pem)]


def test_leaf_fields(pki):
    d = certificate_dict(pki.inter_leaf.der)
    assert d['subject'] == {'C': 'US', 'O': 'gnet test', 'CN': 'localhost'}
    assert d['issuer']['OU'] == ['TLS', 'Intermediate']
    assert d['subjectaltname'] == ('DNS:localhost, DNS:a.test, DNS:*.wild.test, IP Address:127.0.0.1, '
                                   'IP Address:0:0:0:0:0:0:0:1')
    assert d['infoAccess'] == {'OCSP - URI': ['http://ocsp.a.test/'], 'CA Issuers - URI': ['http://ca.a.test/root.crt']}
    assert d['ca'] is False
    assert (d['bits'], d['asn1Curve'], d['nistCurve'], len(d['pubkey'])) == (256, 'prime256v1', 'P-256', 65)
    assert d['raw'] == pki.inter_leaf.der
    assert d['fingerprint256'] == ':'.join('%02X' % b for b in hashlib.sha256(d['raw']).digest())
    assert d['ext_key_usage'] == ['1.3.6.1.5.5.7.3.1']
    serial = '%X' % Certificate(pki.inter_leaf.der).serial
    assert d['serialNumber'] == ('0' * (len(serial) % 2)) + serial  # whole bytes, as BN_bn2hex
    assert d['valid_from'].endswith(' GMT') and len(d['valid_from']) == len('Dec  4 10:00:00 2026 GMT')
    assert list(d) == ['subject', 'issuer', 'subjectaltname', 'infoAccess', 'ca', 'bits', 'pubkey', 'asn1Curve',
                       'nistCurve', 'valid_from', 'valid_to', 'fingerprint', 'fingerprint256', 'fingerprint512',
                       'ext_key_usage', 'serialNumber', 'raw']


def test_ca_and_absent_keys(pki):
    root = certificate_dict(pki.root.der)
    assert root['ca'] is True
    assert 'subjectaltname' not in root and 'infoAccess' not in root and 'ext_key_usage' not in root
    assert certificate_dict(None) == {} and peer_certificate([]) == {}


def test_rsa_fields(pki):
    d = certificate_dict(pki.credentials()['rsa_leaf'].der)
    assert d['bits'] == 2048 and d['exponent'] == '0x10001'
    assert d['modulus'] == d['modulus'].upper() and len(d['modulus']) == 512
    assert d['pubkey'].startswith(b'\x30')  # the SubjectPublicKeyInfo
    assert 'asn1Curve' not in d


def test_detailed_chain_links_and_self_reference(pki):
    d = peer_certificate(pki.inter_leaf.chain_der, True, [pki.root.der])
    inter = d['issuerCertificate']
    root = inter['issuerCertificate']
    assert inter['subject']['CN'] == 'gnet Test Intermediate CA'
    assert root['subject']['CN'] == 'gnet Test Root CA'
    assert root['issuerCertificate'] is root
    assert 'issuerCertificate' not in peer_certificate(pki.inter_leaf.chain_der)
    untrusted = peer_certificate(pki.inter_leaf.chain_der, True)
    assert 'issuerCertificate' not in untrusted['issuerCertificate']


def test_check_issued(pki):
    leaf, inter, root = (Certificate(c.der) for c in (pki.inter_leaf, pki.intermediate, pki.root))
    assert check_issued(inter, leaf) and check_issued(root, inter) and check_issued(root, root)
    assert not check_issued(root, leaf) and not check_issued(leaf, leaf)


@pytest.mark.parametrize('raw,shown', [
    (b'\x17\x0d491231235959Z', 'Dec 31 23:59:59 2049 GMT'),
    (b'\x17\x0d500101000000Z', 'Jan  1 00:00:00 1950 GMT'),
    (b'\x18\x0f20510101120000Z', 'Jan  1 12:00:00 2051 GMT'),
    (b'\x18\x1320510101120000.123Z', 'Jan  1 12:00:00.123 2051 GMT'),
])
def test_times(raw, shown):
    assert der.time(der.read(raw))[1] == shown


@pytest.mark.parametrize('junk', [b'', b'\x30', b'\x30\x05\x02\x01', b'\x04\x00', b'\x30\x84\xff\xff\xff\xff'])
def test_malformed_der_is_a_value_error(junk):
    with pytest.raises(ValueError):
        Certificate(junk)


@needs_node
def test_dicts_match_node(pki):
    """Every case's detailed and short peer certificate (client side), and the
    client certificate the server sees, key by key."""
    node = node_results(pki)
    mismatches = []
    for case in cases(pki):
        theirs = node[case['name']]
        trusted = [d for pem in (case['ca'] or []) for d in ders(pem)]
        chain = ders(case['cert'])
        views = [('peer', plain(peer_certificate(chain, True, trusted))),
                 ('peer_short', plain(peer_certificate(chain)))]
        if case.get('request_cert'):
            client_chain = ders(case['client_cert']) if case.get('client_cert') else []
            server_trusted = [d for pem in case['server_ca'] for d in ders(pem)]
            views.append(('server_peer', plain(peer_certificate(client_chain, True, server_trusted))))
        for view, mine in views:
            depth, a, b = 0, mine, theirs[view]
            while isinstance(a, dict) and isinstance(b, dict):
                for key in sorted(set(a) | set(b)):
                    if key != 'issuerCertificate' and a.get(key) != b.get(key):
                        mismatches.append((case['name'], view, depth, key, a.get(key), b.get(key)))
                if [k for k in a] != [k for k in b]:
                    mismatches.append((case['name'], view, depth, 'key order', list(a), list(b)))
                a, b, depth = a.get('issuerCertificate'), b.get('issuerCertificate'), depth + 1
            if a != b:
                mismatches.append((case['name'], view, depth, 'chain end', a, b))
    assert mismatches == []


@needs_node
def test_exotic_certificate_really_is(pki):
    """The parity above covers escaping, IPv6, othername, DirName, repeated
    attributes, UTF-8 and GeneralizedTime only if the certificate has them."""
    d = certificate_dict(pki.credentials()['exotic'].der)
    for piece in ('DNS:"comma\\u002cname.test"', 'IP Address:2001:DB8:0:0:0:0:0:1', 'othername:UPN:user@exotic.test',
                  'othername:<unsupported>', 'DirName:"', 'Registered ID:1.2.3.4', 'URI:"https://exotic.test/a\\u002cb"'):
        assert piece in d['subjectaltname']
    assert d['subject']['OU'] == ['one', 'two', 'three'] and d['subject']['ST'] == 'Île-de-France'
    assert d['infoAccess']['OCSP - URI'] == ['http://ocsp.a.test/', 'http://o2.a.test/x,y']
    assert d['valid_to'] == 'Jan  1 12:00:00 2051 GMT'
