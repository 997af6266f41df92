"""Shared pieces of the gnet.tls unit tests: the session's test PKI, the
extra certificates the parity tests need, and node's answers for them
(one ``node tests/unit/tls_node_probe.js`` run per session)."""

import functools
import json
import os
import shutil
import subprocess

import pytest

from gnet.testing.pki import make_pki

HERE = os.path.dirname(os.path.abspath(__file__))
NODE = shutil.which('node')
needs_node = pytest.mark.skipif(NODE is None, reason='node is not installed: no Node.js parity check possible')

# Certificates with unusual fields, to exercise the dict formatting.
EXOTIC_EXT = (
    'subjectAltName = @alt',
    'authorityInfoAccess = @aia',
    '[aia]',
    'OCSP;URI.0 = http://ocsp.a.test/',
    'OCSP;URI.1 = http://o2.a.test/x,y',
    'caIssuers;URI.2 = http://ca.a.test/root.crt',
    'caIssuers;DNS.3 = ca.a.test',
    '[alt]',
    'DNS.1 = exotic.test',
    'DNS.2 = we"ird\\\\name.test',
    'DNS.3 = comma,name.test',
    'IP.1 = 2001:db8::1',
    'IP.2 = 10.0.0.1',
    'URI.1 = https://exotic.test/a,b',
    'URI.2 = spiffe://exotic.test/service',
    'email.1 = ops@exotic.test',
    'RID.1 = 1.2.3.4',
    'otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:user@exotic.test',
    'otherName.2 = 1.2.3.5;UTF8:unknown',
    'dirName.1 = dir_sect',
    '[dir_sect]',
    'C = US',
    'O = Dir, Inc.',
    'CN = Dir Name',
)
EXOTIC_SUBJECT = ('/C=FR/ST=Île-de-France/L=Paris/O=Société, Test/OU=one/OU=two/OU=three'
                  '/CN=exotic.test/emailAddress=admin@exotic.test/serialNumber=1234/1.2.3.4.5=custom')


def pki_dir(tmp_path_factory):
    path = tmp_path_factory.getbasetemp() / 'gnet-test-pki'
    path.mkdir(exist_ok=True)
    return str(path)


def session_pki(tmp_path_factory):
    """The standard PKI plus the extra credentials, made once per session."""
    pki = make_pki(pki_dir(tmp_path_factory))
    pki.issue('rsa_leaf', ('rsa.test',), ('127.0.0.1',), key_type='rsa')
    pki.issue('exotic', (), (), cn=EXOTIC_SUBJECT, issuer='intermediate', extra_ext=EXOTIC_EXT,
              not_after='20510101120000Z', not_before='20240229235959Z')
    pki.issue('non_ca_issuer', ('issuer.test',))  # a leaf that then signs another
    pki.issue('under_non_ca', ('under.test',), issuer='non_ca_issuer')
    pki.issue('sub_intermediate', (), (), cn='/O=gnet test/CN=Too Deep CA', issuer='intermediate', ca=True)
    pki.issue('too_deep', ('deep.test',), issuer='sub_intermediate')
    return pki


def cases(pki):
    """(name, server credential, presented chain PEM, client's CA PEMs or None, extra) for the probe."""
    root, other = pki.root.cert, pki.other_root.cert
    c = pki.credentials()
    rows = [
        ('leaf', 'leaf', None, [root]),
        ('inter_leaf', 'inter_leaf', None, [root]),
        ('inter_leaf_without_intermediate', 'inter_leaf', c['inter_leaf'].cert, [root]),
        ('leaf_untrusted', 'leaf', None, [other]),
        ('inter_leaf_untrusted', 'inter_leaf', None, [other]),
        ('root_in_chain_untrusted', 'inter_leaf', c['inter_leaf'].chain + root, [other]),
        ('self_signed', 'self_signed', None, [root]),
        ('self_signed_trusted', 'self_signed', None, [c['self_signed'].cert]),
        ('expired', 'expired', None, [root]),
        ('not_yet_valid', 'not_yet_valid', None, [root]),
        ('intermediate_only_trusted', 'inter_leaf', None, [c['intermediate'].cert]),
        ('client_cert_as_server', 'client', None, [root]),
        ('default_roots', 'leaf', None, None),
        ('rsa_leaf', 'rsa_leaf', None, [root]),
        ('exotic', 'exotic', None, [root]),
        ('issued_by_non_ca', 'under_non_ca', None, [root]),
        ('path_length_exceeded', 'too_deep', None, [root]),
        ('two_roots_trusted', 'inter_leaf', None, [other, root]),
    ]
    out = []
    for name, server, chain, ca in rows:
        cred = c[server]
        out.append({'name': name, 'key': cred.key.decode(), 'cert': (chain or cred.chain).decode(),
                    'ca': None if ca is None else [pem.decode() for pem in ca]})
    mtls = {'request_cert': True, 'server_ca': [root.decode()]}
    leaf = c['leaf']
    out.append(dict(out[0], name='mtls_client', client_key=c['client'].key.decode(),
                    client_cert=c['client'].chain.decode(), **mtls))
    out.append(dict(out[0], name='mtls_no_client_cert', **mtls))
    out.append(dict(out[0], name='mtls_server_cert_as_client', client_key=leaf.key.decode(),
                    client_cert=leaf.cert.decode(), **mtls))
    out.append(dict(out[0], name='mtls_intermediate_client', client_key=c['inter_leaf'].key.decode(),
                    client_cert=c['inter_leaf'].chain.decode(), **mtls))
    return out


@functools.lru_cache(maxsize=None)
def _probe(directory, payload):
    path = os.path.join(directory, 'probe-cases.json')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(payload)
    done = subprocess.run([NODE, os.path.join(HERE, 'tls_node_probe.js'), path], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return {row['name']: row for row in json.loads(done.stdout)}


def node_results(pki):
    """node's answers for :func:`cases`, by case name."""
    return _probe(pki.directory, json.dumps(cases(pki)))


def plain(cert, seen=()):
    """A certificate dict as the probe writes node's: bytes as ``{'hex': ...}``,
    a reference back up the chain as ``'[self]'``."""
    if isinstance(cert, bytes):
        return {'hex': cert.hex()}
    if isinstance(cert, list):
        return [plain(v, seen) for v in cert]
    if not isinstance(cert, dict):
        return cert
    seen = seen + (cert,)
    return {k: '[self]' if any(v is s for s in seen) else plain(v, seen) for k, v in cert.items()}
