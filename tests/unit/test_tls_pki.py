"""gnet.testing.pki: the run-time test PKI."""

import os
import subprocess

import pytest

from gnet.testing import pki as pki_module
from gnet.testing.pki import OpenSSLNotFound, make_pki

from tls_helpers import session_pki


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    return session_pki(tmp_path_factory)


def openssl_text(path):
    return subprocess.run(['openssl', 'x509', '-in', path, '-noout', '-text'], capture_output=True, text=True,
                          check=True).stdout


def test_cached_per_directory(pki, tmp_path_factory):
    assert make_pki(pki.directory) is pki
    assert make_pki(pki.directory + '/.') is pki


def test_files_and_chains(pki):
    for cred in pki.credentials().values():
        for path, data in ((cred.key_path, cred.key), (cred.cert_path, cred.cert), (cred.chain_path, cred.chain)):
            with open(path, 'rb') as f:
                assert f.read() == data
        assert cred.chain.startswith(cred.cert)
    assert len(pki.inter_leaf.chain_der) == 2 and pki.inter_leaf.chain_der[1] == pki.intermediate.der
    assert len(pki.leaf.chain_der) == 1  # a root never rides along
    assert b'BEGIN PRIVATE KEY' in pki.leaf.key


def test_certificate_contents(pki):
    leaf = openssl_text(pki.leaf.cert_path)
    assert 'DNS:localhost, DNS:a.test, DNS:*.wild.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1' in leaf
    assert 'prime256v1' in leaf and 'CA:FALSE' in leaf and 'TLS Web Server Authentication' in leaf
    assert 'CA:TRUE' in openssl_text(pki.root.cert_path)
    assert 'pathlen:0' in openssl_text(pki.intermediate.cert_path)
    assert 'TLS Web Client Authentication' in openssl_text(pki.client.cert_path)
    assert 'Not After : Jan  1 00:00:00 2021 GMT' in openssl_text(pki.expired.cert_path)
    assert 'Not Before: Jan  1 00:00:00 2090 GMT' in openssl_text(pki.not_yet_valid.cert_path)
    self_signed = openssl_text(pki.self_signed.cert_path)
    assert 'Issuer: C = US, O = gnet test, CN = localhost' in self_signed
    assert 'rsaEncryption' in openssl_text(pki.credentials()['rsa_leaf'].cert_path)


def test_issue_is_cached_and_checks_issuer(pki):
    assert pki.issue('rsa_leaf') is pki.credentials()['rsa_leaf']
    with pytest.raises(ValueError):
        pki.issue('orphan', ('o.test',), issuer='nobody')


def test_missing_openssl_is_a_loud_error(tmp_path, monkeypatch):
    monkeypatch.setenv('PATH', str(tmp_path))
    with pytest.raises(OpenSSLNotFound, match='needs the openssl command-line tool'):
        make_pki(str(tmp_path))
    assert os.listdir(str(tmp_path)) == []
    assert str(tmp_path) not in pki_module._cache
