"""gnet.tls's pfx option: PKCS#12 archives (made here with ``openssl pkcs12 -export``).

As node 20 (checked with archives made the same way): the archive alone, a
list of archives, or ``{'buf', 'passphrase'}`` objects (an object's
passphrase before the option's) load; a wrong or missing passphrase is
"mac verify failure", bytes that are no archive "not enough data", a value
that is no buffer "Unable to load PFX certificate"
(ERR_CRYPTO_OPERATION_FAILED). The archive's extra certificates are presented
after the certificate, so a client trusting only the root verifies a leaf
signed by an intermediate.
"""

import os
import subprocess

import pytest
from gevent.event import AsyncResult

import gnet
import gnet.errors
import gnet.tls as tls
from net_helpers import WAIT, connect_options


def export(credential, directory, password):
    path = os.path.join(str(directory), '%s-%s.pfx' % (credential.name, password or 'none'))
    subprocess.run(['openssl', 'pkcs12', '-export', '-inkey', credential.key_path,
                    '-in', credential.chain_path, '-passout', 'pass:' + password, '-out', path],
                   check=True, capture_output=True, timeout=30)
    with open(path, 'rb') as f:
        data = f.read()
    os.unlink(path)
    return data


@pytest.fixture(scope='module')
def archives(pki, tmp_path_factory):
    directory = tmp_path_factory.mktemp('pfx')
    return {'inter': export(pki.inter_leaf, directory, 'sesame'),
            'plain': export(pki.leaf, directory, '')}


@pytest.mark.parametrize('form', ['archive', 'list', 'object', 'object-with-option-passphrase'])
def test_a_server_from_a_pfx_presents_its_chain(tls_server, pki, archives, form):
    pfx = archives['inter']
    options = {
        'archive': {'pfx': pfx, 'passphrase': 'sesame'},
        'list': {'pfx': [pfx], 'passphrase': b'sesame'},
        'object': {'pfx': [{'buf': pfx, 'passphrase': 'sesame'}], 'passphrase': 'wrong'},
        'object-with-option-passphrase': {'pfx': [{'buf': pfx}], 'passphrase': 'sesame'},
    }[form]
    server = tls_server('tcp4', lambda conn: conn.end(b'hi'), key=None, cert=None, **options)
    client = tls.connect(dict(connect_options(server), ca=pki.root.cert, servername='localhost'))
    secured = AsyncResult()
    client.on('secureConnect', lambda: secured.set(client.authorized))
    client.on('error', secured.set_exception)
    assert secured.get(timeout=WAIT) is True  # the intermediate came from the archive
    assert client.get_peer_certificate(True)['raw'] == pki.inter_leaf.der
    client.destroy()


def test_an_archive_without_a_password_needs_no_passphrase(archives, pki):
    context = tls.create_secure_context(pfx=archives['plain'])
    assert context.keys and context.certs


@pytest.mark.parametrize('options, message, code', [
    ({'passphrase': 'nope'}, 'mac verify failure', 'ERR_OSSL_MAC_VERIFY_FAILURE'),
    ({}, 'mac verify failure', 'ERR_OSSL_MAC_VERIFY_FAILURE'),
    ({'pfx_override': [{'buf': None, 'passphrase': 'x'}]}, 'Unable to load PFX certificate',
     'ERR_CRYPTO_OPERATION_FAILED'),
    ({'pfx_override': b'garbage'}, 'not enough data', 'ERR_OSSL_NOT_ENOUGH_DATA'),
    ({'pfx_override': 'garbage'}, 'not enough data', 'ERR_OSSL_NOT_ENOUGH_DATA'),
    ({'pfx_override': 5}, 'Unable to load PFX certificate', 'ERR_CRYPTO_OPERATION_FAILED'),
    ({'pfx_override': 'object', 'passphrase': 'sesame'}, 'mac verify failure',
     'ERR_OSSL_MAC_VERIFY_FAILURE'),
])
def test_errors_as_node(archives, options, message, code):
    options = dict(options)
    pfx = options.pop('pfx_override', archives['inter'])
    if pfx == 'object':
        pfx = [{'buf': archives['inter'], 'passphrase': 'x'}]
    for make in (lambda: tls.create_secure_context(pfx=pfx, **options),
                 lambda: tls.create_server({'pfx': pfx, **options})):
        with pytest.raises(gnet.errors.NodeError) as info:
            make()
        assert str(info.value) == message
        assert info.value.code == code
