"""Shared argument parsing for the benchmark echo servers.

Each server listens on 127.0.0.1:--port or the Unix socket --path and prints
one line ``ready`` once it is listening.  The repo root is put first on
sys.path so ``import gnet`` finds this checkout.
"""

import argparse
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)


def parse_args(description, add_arguments=None):
    """``--port``/``--host`` or ``--path``; ``add_arguments(parser)`` adds a server's own."""
    parser = argparse.ArgumentParser(description=description)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument('--port', type=int, help='TCP port on --host')
    group.add_argument('--path', help='Unix socket path')
    parser.add_argument('--host', default='127.0.0.1', help='TCP address (default 127.0.0.1)')
    if add_arguments is not None:
        add_arguments(parser)
    return parser.parse_args()


def add_tls_arguments(parser):
    """``--cert`` and ``--key``: PEM files of the TLS servers' credential."""
    parser.add_argument('--cert', required=True, help='PEM certificate (chain) file')
    parser.add_argument('--key', required=True, help='PEM private key file')


def read_credentials(args):
    """The (key, cert) PEM bytes named by ``--key`` and ``--cert``."""
    with open(args.key, 'rb') as f:
        key = f.read()
    with open(args.cert, 'rb') as f:
        cert = f.read()
    return key, cert


def ready():
    print('ready', flush=True)
