"""``gnet.tls``: Node's ``tls`` module over gnet's handle seam (``import gnet.tls as tls``).

The record layer is sans-IO (:mod:`gnet.tls.record`); :mod:`gnet.tls.handle`
layers it over any stream handle, so a :class:`TLSSocket` is a
:class:`gnet.Socket` with TLS's events and properties, over TCP, Unix
sockets or pipes.  See ``docs/tls.md``.
"""

from typing import Any

from ..naming import module_aliases
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
           'DEFAULT_MAX_VERSION', 'DEFAULT_MIN_VERSION', 'check_server_identity', 'get_ciphers',
           'root_certificates']
# Node's spellings of the functions (createServer, checkServerIdentity); constants keep theirs
__all__ += module_aliases(globals(), [name for name in __all__ if name.islower() and name in globals()])


def __getattr__(name: str) -> Any:
    """``root_certificates``, read from the system's store the first time it is asked for."""
    if name == 'root_certificates':
        roots = globals()['root_certificates'] = tuple(_root_certificates())
        return roots
    raise AttributeError(name)

