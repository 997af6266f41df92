"""``gnet.tls``: Node's ``tls`` module over gnet's handle seam (``import gnet.tls as tls``).

The record layer is sans-IO (:mod:`gnet.tls.record`); :mod:`gnet.tls.handle`
layers it over any stream handle, so a :class:`TLSSocket` is a
:class:`gnet.Socket` with TLS's events and properties, over TCP, Unix
sockets or pipes.  See ``docs/tls.md``.
"""

from typing import Any

from .context import (
    DEFAULT_CIPHERS,
    DEFAULT_ECDH_CURVE,
    DEFAULT_MAX_VERSION,
    DEFAULT_MIN_VERSION,
    SecureContext,
    _root_certificates,
    create_secure_context,
    get_ciphers,
)
from .identity import check_server_identity
from .server import Server, create_server
from .socket import TLSSocket, connect

__all__ = ['Server', 'TLSSocket', 'SecureContext', 'create_server', 'connect',
           'create_secure_context', 'DEFAULT_CIPHERS', 'DEFAULT_ECDH_CURVE',
           'DEFAULT_MAX_VERSION', 'DEFAULT_MIN_VERSION', 'check_server_identity', 'get_ciphers']
# read from the system's store on first use (module __getattr__): ~20 ms not every import pays
__all__ += ['root_certificates', 'rootCertificates']


def __getattr__(name: str) -> Any:
    """``root_certificates``, read from the system's store the first time it is asked for."""
    if name in ('root_certificates', 'rootCertificates'):
        roots = globals()['root_certificates'] = globals()['rootCertificates'] = tuple(
            _root_certificates())
        return roots
    raise AttributeError(name)


# Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
createServer = create_server
createSecureContext = create_secure_context
checkServerIdentity = check_server_identity
getCiphers = get_ciphers
__all__ += [
    'createServer', 'createSecureContext', 'checkServerIdentity', 'getCiphers',
]
