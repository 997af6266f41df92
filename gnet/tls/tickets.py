"""Session ticket keys: Node's ``ticketKeys`` option, ``getTicketKeys``/``setTicketKeys``.

Owns: the validation of a 48-byte ticket key buffer (Node's errors) and
setting it on a server context's ``SSL_CTX`` (``SSL_CTRL_SET_TLSEXT_TICKET_KEYS``
through ``ctypes``, :mod:`gnet.tls.ossl`).
Must not import: gevent, sockets, handles, streams (pure).

Node's 48 bytes are a 16-byte key name, a 16-byte HMAC secret and a 16-byte
AES key, used by Node's own ticket callback (AES-128-CBC, HMAC-SHA256).
OpenSSL 3's built-in ticket code takes 80 bytes (a 16-byte name, 32-byte
HMAC and AES-256 keys); gnet keeps Node's 48 bytes as the contract and sets
the name unchanged and each 16-byte secret stretched to 32 bytes with
SHA-256.  So servers given the same keys -- any gnet server, in any process
-- resume each other's sessions (TLS 1.2 and 1.3 tickets); a Node server's
tickets are not readable by a gnet server, nor the reverse.
"""

from __future__ import annotations

import ctypes
import hashlib
import ssl
from typing import Any

from .. import errors
from .ossl import bind, ssl_ctx_of

__all__ = ['TICKET_KEYS_LENGTH', 'ticket_keys', 'apply', 'ctx_ctrl']

TICKET_KEYS_LENGTH = 48
SSL_CTRL_SET_TLSEXT_TICKET_KEYS = 59

ctx_ctrl: Any = bind('SSL_CTX_ctrl', ctypes.c_long, [ctypes.c_void_p, ctypes.c_int, ctypes.c_long,
                                             ctypes.c_void_p])


def ticket_keys(value: Any, name: str = 'options.ticketKeys') -> bytes:
    """``value`` as 48 bytes, or Node's error: not a buffer, ``ERR_INVALID_ARG_TYPE``;
    another length, ``ERR_INVALID_ARG_VALUE``."""
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise errors.ERR_INVALID_ARG_TYPE(name, ['Buffer', 'TypedArray', 'DataView'], value)
    data = bytes(value)
    if len(data) != TICKET_KEYS_LENGTH:
        raise errors.ERR_INVALID_ARG_VALUE(name, len(data), 'must be exactly 48 bytes')
    return data


def _openssl_keys(keys: bytes) -> bytes:
    name, hmac_secret, aes_key = keys[:16], keys[16:32], keys[32:48]
    return (name + hashlib.sha256(b'gnet ticket hmac' + hmac_secret).digest()
            + hashlib.sha256(b'gnet ticket aes' + aes_key).digest())


def apply(context: ssl.SSLContext, keys: bytes) -> bool:
    """Encrypt and decrypt ``context``'s session tickets with ``keys`` (48 bytes).
    False where the ``SSL_CTX`` cannot be reached (OpenSSL's random keys stay)."""
    pointer = ssl_ctx_of(context)
    if pointer is None or ctx_ctrl is None:
        return False
    stretched = ctypes.create_string_buffer(_openssl_keys(keys), 80)
    return bool(ctx_ctrl(pointer, SSL_CTRL_SET_TLSEXT_TICKET_KEYS, 80, stretched))
