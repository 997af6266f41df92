"""Trace lines for the Python side of the parity scenarios.

``log(*args)`` prints one line like Node's ``console.log`` would: arguments
joined by spaces, ``True``/``False`` as ``true``/``false``, ``None`` as
``null`` (the harness also maps Node's ``undefined`` to ``null``: gnet has
one None for both).  Output is flushed at once so that a crash keeps every
line printed before it.
"""

import os
import sys

__all__ = ['log', 'parity_dir', 'pki']


def _show(value):
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if value is None:
        return 'null'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def log(*args):
    sys.stdout.write(' '.join(_show(a) for a in args) + '\n')
    sys.stdout.flush()


def parity_dir():
    """A private temporary directory for this run (Unix socket paths go here)."""
    return os.environ['PARITY_DIR']


def pki(name):
    """The bytes of ``name`` (``leaf.key``, ``root.crt``, ...) in the run's test PKI
    (``PARITY_PKI``; the JS side reads the same files through ``_pki.js``)."""
    with open(os.path.join(os.environ['PARITY_PKI'], name), 'rb') as f:
        return f.read()
