"""Two OpenSSL settings Node makes and the ``ssl`` module has no switch for.

Owns: :func:`enforce_alpn` (a server with ALPN protocols refuses a client
that offers only others) and :func:`accept_any_peer_certificate` (a server
that asks for a client certificate takes any, and checks it afterwards),
both set on a context's ``SSL_CTX`` through ``ctypes``.
Must not import: gevent, sockets, handles, streams (pure).

ALPN.  Python's ``ssl`` answers such a ClientHello by going on without ALPN (its
select callback returns ``SSL_TLSEXT_ERR_NOACK``); Node 20's
``SelectALPNCallback`` returns ``SSL_TLSEXT_ERR_ALERT_FATAL``, so OpenSSL
sends a ``no_application_protocol`` alert (the client's
``ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL``) and fails the server's
handshake (``ERR_SSL_NO_APPLICATION_PROTOCOL``, a ``'tlsClientError'``).
The ``ssl`` module has no switch for that, so Node's callback is installed
on the context's ``SSL_CTX`` through ``ctypes``, in the libssl ``_ssl``
itself uses, in place of the one ``set_alpn_protocols`` installed (the
protocol chosen is still read the usual way, ``selected_alpn_protocol()``).
A client that offers no ALPN is not affected (OpenSSL calls no callback).

Client certificates.  Node's server asks for one with ``SSL_VERIFY_PEER``
(plus ``FAIL_IF_NO_PEER_CERT`` when it rejects the unauthorized) and a
verify callback that accepts every certificate: the handshake completes, and
the socket then reads the verification result (``authorizationError``) and,
rejecting, hangs up.  Python's ``ssl`` keeps OpenSSL's default callback, so a
certificate that fails verification fails the handshake
(``ERR_SSL_CERTIFICATE_VERIFY_FAILED``) and a lenient server cannot accept
it at all.  :func:`accept_any_peer_certificate` installs Node's callback
(the ``ssl`` module keeps it when ``verify_mode`` changes).

The ``SSL_CTX`` pointer is the first field after the object header of
CPython's ``PySSLContext``; it is checked (the options OpenSSL reports for
it must be the context's) before use.  Where it cannot be found or libssl
cannot be loaded, the functions return False and the context keeps
Python's behaviour.
"""

from __future__ import annotations

import ctypes
import re
import ssl
import sys
from typing import Any, List, Optional, Sequence

__all__ = ['enforce_alpn', 'accept_any_peer_certificate', 'wire_format', 'bind', 'ssl_ctx_of']

OPENSSL_NPN_NEGOTIATED = 1
SSL_TLSEXT_ERR_OK = 0
SSL_TLSEXT_ERR_ALERT_FATAL = 2

#: int (*cb)(SSL *, const unsigned char **out, unsigned char *outlen,
#:           const unsigned char *in, unsigned int inlen, void *arg)
_SELECT_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                              ctypes.c_void_p, ctypes.c_uint, ctypes.c_void_p)

#: int (*verify_callback)(int preverify_ok, X509_STORE_CTX *)
_VERIFY_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p)


def _accept(_preverify_ok: int, _store: Any) -> int:
    return 1


_ACCEPT_ANY = _VERIFY_CB(_accept)

_lib: Any = None
_lib_failed = False


def wire_format(protocols: Sequence[str]) -> bytes:
    """ALPN's wire format: each protocol name prefixed by its length."""
    out = bytearray()
    for name in protocols:
        data = name.encode('latin-1')
        out.append(len(data))
        out += data
    return bytes(out)


def _libssl_candidates() -> List[str]:
    import _ssl
    found: List[str] = []
    try:
        with open('/proc/self/maps', encoding='utf-8', errors='replace') as maps:
            for line in maps:
                path = line.rstrip('\n').split(None, 5)[-1] if line.count(' ') >= 5 else ''
                if re.search(r'/libssl[^/]*\.(so|dylib)', path) and path not in found:
                    found.append(path)
    except OSError:
        pass
    if getattr(_ssl, '__file__', None):
        found.append(_ssl.__file__)  # a statically linked _ssl holds libssl's symbols
    return found


def _load() -> Any:
    global _lib, _lib_failed
    if _lib is not None or _lib_failed:
        return _lib
    for path in _libssl_candidates():
        try:
            lib = ctypes.CDLL(path)
            lib.SSL_CTX_set_alpn_select_cb.restype = None
            lib.SSL_CTX_set_alpn_select_cb.argtypes = [ctypes.c_void_p, _SELECT_CB, ctypes.c_void_p]
            lib.SSL_select_next_proto.restype = ctypes.c_int
            lib.SSL_select_next_proto.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p,
                                                  ctypes.c_uint, ctypes.c_void_p, ctypes.c_uint]
            lib.SSL_CTX_set_verify.restype = None
            lib.SSL_CTX_set_verify.argtypes = [ctypes.c_void_p, ctypes.c_int, _VERIFY_CB]
            lib.SSL_CTX_get_verify_mode.restype = ctypes.c_int
            lib.SSL_CTX_get_verify_mode.argtypes = [ctypes.c_void_p]
            lib.SSL_CTX_get_options.restype = ctypes.c_uint64
            lib.SSL_CTX_get_options.argtypes = [ctypes.c_void_p]
        except (OSError, AttributeError):
            continue
        _lib = lib
        return lib
    _lib_failed = True
    return None


def _ssl_ctx(lib: Any, context: ssl.SSLContext) -> Optional[int]:
    """The context's ``SSL_CTX *`` (see the module docstring), or None."""
    if sys.implementation.name != 'cpython':
        return None
    header = ctypes.sizeof(ctypes.c_ssize_t) + ctypes.sizeof(ctypes.c_void_p)  # ob_refcnt, ob_type
    pointer = ctypes.c_void_p.from_address(id(context) + header).value
    if not pointer or int(lib.SSL_CTX_get_options(pointer)) != int(context.options):
        return None
    return int(pointer)


def enforce_alpn(context: ssl.SSLContext, protocols: Sequence[str]) -> bool:
    """Make ``context`` (a server's, ``protocols`` already set on it) fail a handshake
    whose ClientHello offers no protocol of ``protocols``.  True once installed."""
    lib = _load()
    if lib is None or not protocols:
        return False
    ctx = _ssl_ctx(lib, context)
    if ctx is None:
        return False
    server = wire_format(protocols)

    def select(_ssl: Any, out: Any, outlen: Any, offered: Any, offered_len: int, _arg: Any) -> int:
        status = lib.SSL_select_next_proto(out, outlen, server, len(server), offered, offered_len)
        return SSL_TLSEXT_ERR_OK if status == OPENSSL_NPN_NEGOTIATED else SSL_TLSEXT_ERR_ALERT_FATAL
    callback = _SELECT_CB(select)
    lib.SSL_CTX_set_alpn_select_cb(ctx, callback, None)
    # the SSL_CTX keeps pointers to both: they live as long as the context
    context.gnet_alpn_select = (server, callback)  # type: ignore[attr-defined]
    return True


def accept_any_peer_certificate(context: ssl.SSLContext) -> bool:
    """Node's verify callback on ``context`` (its ``verify_mode`` kept): every peer
    certificate passes the handshake; the caller verifies it afterwards."""
    lib = _load()
    if lib is None:
        return False
    ctx = _ssl_ctx(lib, context)
    if ctx is None:
        return False
    lib.SSL_CTX_set_verify(ctx, lib.SSL_CTX_get_verify_mode(ctx), _ACCEPT_ANY)
    return True


def bind(name: str, restype: Any, argtypes: Sequence[Any]) -> Any:
    """libssl's (or, through it, libcrypto's) function ``name`` with its C signature set,
    or None where the library or the symbol cannot be had.  Each name is bound
    by one module only, so its signature is set once."""
    lib = _load()
    if lib is None:
        return None
    try:
        function = getattr(lib, name)
    except AttributeError:
        return None
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


def ssl_ctx_of(context: ssl.SSLContext) -> Optional[int]:
    """The ``SSL_CTX *`` of ``context`` (checked as the module docstring says), or None."""
    lib = _load()
    return None if lib is None else _ssl_ctx(lib, context)
