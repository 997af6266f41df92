"""``gnet.tls``: Node's ``tls`` module over gnet's handle seam (``import gnet.tls as tls``).

The record layer is sans-IO (:mod:`gnet.tls.record`); :mod:`gnet.tls.handle`
layers it over any stream handle, so a :class:`TLSSocket` is a
:class:`gnet.Socket` with TLS's events and properties, over TCP, Unix
sockets or pipes.  See ``docs/tls.md``.
"""

from ..naming import module_aliases
from .context import (
    DEFAULT_CIPHERS,
    DEFAULT_ECDH_CURVE,
    DEFAULT_MAX_VERSION,
    DEFAULT_MIN_VERSION,
    SecureContext,
    create_secure_context,
)
from .server import Server, create_server
from .socket import TLSSocket, connect

__all__ = ['Server', 'TLSSocket', 'SecureContext', 'create_server', 'connect',
           'create_secure_context', 'DEFAULT_CIPHERS', 'DEFAULT_ECDH_CURVE',
           'DEFAULT_MAX_VERSION', 'DEFAULT_MIN_VERSION']
__all__ += module_aliases(globals(), ['create_server', 'create_secure_context'])  # Node's spelling
