"""The TLS servers' credential: gnet's test PKI, generated at run time.

Owns: making the certificate and key the TLS servers share, in the run's
temp directory (never in the tree), with ``gnet/testing/pki.py`` loaded by
path -- the driver does not import gnet (nor gevent) itself.
"""

import importlib.util
import os

from .catalog import REPO


def _pki_module():
    path = os.path.join(REPO, 'gnet', 'testing', 'pki.py')
    spec = importlib.util.spec_from_file_location('gnet_bench_pki', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_credential(tmpdir):
    """(cert chain path, key path) of an EC P-256 leaf for 127.0.0.1 and localhost,
    signed by a throw-away root, all under ``tmpdir``."""
    directory = os.path.join(tmpdir, 'pki')
    os.makedirs(directory, exist_ok=True)
    leaf = _pki_module().make_pki(directory).leaf
    return leaf.chain_path, leaf.key_path
