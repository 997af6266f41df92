"""X.509 chain verification with OpenSSL's own semantics and Node's codes.

Owns: checking a peer's certificate chain (DER, leaf first) against a set of
trusted CAs (PEM) or OpenSSL's default paths, by calling ``X509_verify_cert``
in the very libcrypto that Python's ``_ssl`` is linked against (via
``ctypes``), and naming the outcome as Node does (``X509ErrorCode`` in
Node's ``src/crypto/crypto_common.cc``: the ``X509_V_ERR_*`` name without its
prefix, ``'UNSPECIFIED'`` for a code outside Node's table).
Must not import: gevent, greenlet, socket, gnet.net, gnet.runtime,
gnet.streams (pure: no I/O beyond reading the CA files OpenSSL's default
paths name).

Why not just ``ssl``: Node's client always completes the handshake and then
reads ``SSL_get_verify_result``, so it can say *why* a chain failed
(``socket.authorizationError``) even with ``rejectUnauthorized: false``.
Python's ``ssl`` either verifies during the handshake (and aborts it with a
message) or, with ``CERT_NONE``, not at all.  So gnet handshakes with
``CERT_NONE`` and verifies the chain here afterwards, as OpenSSL would have:
the same store, the same ``X509_STORE_CTX_set_default`` purpose (``ssl_server``
when checking a server, ``ssl_client`` when checking a client) and the same
security level.  Every OpenSSL object made here is freed before returning.
"""

import ctypes
import ctypes.util
import re
import ssl
import threading
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

__all__ = ['verify_chain', 'verify_chain_error', 'VerifyError', 'TrustStore', 'node_code', 'error_string',
           'chain_from_sslobject', 'libcrypto_path', 'NODE_CODES']

# Node's table (X509ErrorCode, src/crypto/crypto_common.cc, v20) with the
# numbers of OpenSSL 3's x509_vfy.h; any other code is 'UNSPECIFIED' to Node.
NODE_CODES = {
    2: 'UNABLE_TO_GET_ISSUER_CERT', 3: 'UNABLE_TO_GET_CRL', 4: 'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
    5: 'UNABLE_TO_DECRYPT_CRL_SIGNATURE', 6: 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 7: 'CERT_SIGNATURE_FAILURE',
    8: 'CRL_SIGNATURE_FAILURE', 9: 'CERT_NOT_YET_VALID', 10: 'CERT_HAS_EXPIRED', 11: 'CRL_NOT_YET_VALID',
    12: 'CRL_HAS_EXPIRED', 13: 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 14: 'ERROR_IN_CERT_NOT_AFTER_FIELD',
    15: 'ERROR_IN_CRL_LAST_UPDATE_FIELD', 16: 'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 17: 'OUT_OF_MEM',
    18: 'DEPTH_ZERO_SELF_SIGNED_CERT', 19: 'SELF_SIGNED_CERT_IN_CHAIN', 20: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    21: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 22: 'CERT_CHAIN_TOO_LONG', 23: 'CERT_REVOKED',
    25: 'PATH_LENGTH_EXCEEDED', 26: 'INVALID_PURPOSE', 27: 'CERT_UNTRUSTED', 28: 'CERT_REJECTED',
    62: 'HOSTNAME_MISMATCH', 79: 'INVALID_CA',
}
# Node's VerifyPeerCertificate default when the peer sent no certificate at all
# (a server that asked for one): UNABLE_TO_GET_ISSUER_CERT, checked on node 20.
NO_PEER_CERTIFICATE = 2

PURPOSES = ('ssl_server', 'ssl_client')


class VerifyError(NamedTuple):
    """Why a chain failed: Node's ``code``, OpenSSL's ``reason`` (the message
    of Node's error, ``X509_verify_cert_error_string``), OpenSSL's number and
    the depth in the chain where it failed (0 is the leaf; -1 when unknown)."""

    code: str
    reason: str
    errno: int
    depth: int


def node_code(errno: int) -> str:
    """Node's name for an ``X509_V_ERR_*`` number."""
    return NODE_CODES.get(errno, 'UNSPECIFIED')


# --- finding and declaring libcrypto -------------------------------------

def libcrypto_path() -> Optional[str]:
    """The libcrypto file mapped into this process by ``_ssl``, or None when
    ``_ssl`` links it statically (its symbols are then in ``_ssl`` itself)."""
    import _ssl  # noqa: F401  -- loads libssl/libcrypto into the process
    try:
        with open('/proc/self/maps', encoding='utf-8', errors='replace') as maps:
            for line in maps:
                path = line.rstrip('\n').split(None, 5)[-1] if line.count(' ') >= 5 else ''
                if re.search(r'/libcrypto[^/]*\.(so|dylib)', path):
                    return path
    except OSError:
        pass
    return None


def _load() -> Any:
    import _ssl
    candidates: List[str] = []
    mapped = libcrypto_path()
    if mapped:
        candidates.append(mapped)
    if getattr(_ssl, '__file__', None):
        candidates.append(_ssl.__file__)  # statically linked builds
    found = ctypes.util.find_library('crypto')
    if found:
        candidates.append(found)
    want = ssl.OPENSSL_VERSION_NUMBER >> 28
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
            version = lib.OpenSSL_version_num
        except (OSError, AttributeError):
            continue
        version.restype, version.argtypes = ctypes.c_ulong, []
        if version() >> 28 == want and hasattr(lib, 'X509_verify_cert'):
            return _declare(lib)
    raise ImportError('gnet.tls.verify: no libcrypto matching %s (tried %s)' % (ssl.OPENSSL_VERSION, candidates))


def _declare(lib: Any) -> Any:
    p, i, long_, char_p = ctypes.c_void_p, ctypes.c_int, ctypes.c_long, ctypes.c_char_p
    for name, restype, argtypes in (
        ('X509_STORE_new', p, []), ('X509_STORE_free', None, [p]),
        ('X509_STORE_add_cert', i, [p, p]), ('X509_STORE_set_default_paths', i, [p]),
        ('BIO_new_mem_buf', p, [p, i]), ('BIO_free', i, [p]),
        ('PEM_read_bio_X509', p, [p, p, p, p]),
        ('d2i_X509', p, [p, ctypes.POINTER(ctypes.c_char_p), long_]), ('X509_free', None, [p]),
        ('OPENSSL_sk_new_null', p, []), ('OPENSSL_sk_push', i, [p, p]), ('OPENSSL_sk_free', None, [p]),
        ('X509_STORE_CTX_new', p, []), ('X509_STORE_CTX_free', None, [p]),
        ('X509_STORE_CTX_init', i, [p, p, p, p]), ('X509_STORE_CTX_set_default', i, [p, char_p]),
        ('X509_STORE_CTX_set_verify_cb', None, [p, _VERIFY_CB]),
        ('X509_STORE_CTX_get0_param', p, [p]), ('X509_VERIFY_PARAM_set_auth_level', None, [p, i]),
        ('X509_VERIFY_PARAM_set_time', None, [p, ctypes.c_int64]),
        ('X509_verify_cert', i, [p]), ('X509_STORE_CTX_get_error', i, [p]),
        ('X509_STORE_CTX_get_error_depth', i, [p]),
        ('X509_verify_cert_error_string', char_p, [long_]), ('ERR_clear_error', None, []),
    ):
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    return lib


# Node's VerifyCallback accepts every certificate (SSL_VERIFY_NONE): OpenSSL
# then walks the whole chain and SSL_get_verify_result is the *last* error it
# met -- a lone leaf from an unknown issuer is UNABLE_TO_GET_ISSUER_CERT_LOCALLY
# in build_chain, then UNABLE_TO_VERIFY_LEAF_SIGNATURE in internal_verify, and
# Node reports the second.  The same callback here gives the same answer.
_VERIFY_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p)


def _accept_all(preverify_ok: int, store_ctx: Optional[int]) -> int:
    if not preverify_ok and store_ctx and store_ctx in _failures:
        lib = _crypto()
        _failures[store_ctx] = (lib.X509_STORE_CTX_get_error(store_ctx), lib.X509_STORE_CTX_get_error_depth(store_ctx))
    return 1


# the last (error, depth) the callback saw, per X509_STORE_CTX being verified
_failures: Dict[int, Tuple[int, int]] = {}


_ACCEPT_ALL = _VERIFY_CB(_accept_all)

_lib: Any = None
_lib_lock = threading.Lock()


def _crypto() -> Any:
    global _lib
    if _lib is None:
        with _lib_lock:
            if _lib is None:
                _lib = _load()
    return _lib


def error_string(errno: int) -> str:
    """OpenSSL's text for an ``X509_V_ERR_*`` number (Node's error message)."""
    text: bytes = _crypto().X509_verify_cert_error_string(errno)
    return text.decode('utf-8', 'replace')


# --- the trust store ------------------------------------------------------

PemLike = Union[bytes, str]


class TrustStore:
    """An ``X509_STORE``: the CAs in ``ca_pems`` (each a PEM bundle, ``str``
    or ``bytes``), or OpenSSL's default paths when ``ca_pems`` is None -- as
    Node's ``ca`` option replaces the default roots.  Reusable and
    thread-safe to read; :meth:`close` (or garbage collection) frees it."""

    def __init__(self, ca_pems: Optional[Sequence[PemLike]] = None) -> None:
        lib = _crypto()
        self._lib = lib
        self._store: Optional[int] = lib.X509_STORE_new()
        if not self._store:
            raise MemoryError('X509_STORE_new failed')
        try:
            if ca_pems is None:
                lib.X509_STORE_set_default_paths(self._store)
            else:
                for pem in ca_pems:
                    self._add_pem(pem.encode('ascii') if isinstance(pem, str) else bytes(pem))
        except BaseException:
            self.close()
            raise
        finally:
            lib.ERR_clear_error()

    def _add_pem(self, pem: bytes) -> None:
        lib = self._lib
        buf = ctypes.create_string_buffer(pem, len(pem))
        bio = lib.BIO_new_mem_buf(buf, len(pem))
        if not bio:
            raise MemoryError('BIO_new_mem_buf failed')
        try:
            while True:
                x509 = lib.PEM_read_bio_X509(bio, None, None, None)
                if not x509:
                    break  # end of the bundle (or junk after it, as OpenSSL's loader)
                lib.X509_STORE_add_cert(self._store, x509)  # takes its own reference
                lib.X509_free(x509)
        finally:
            lib.BIO_free(bio)

    def close(self) -> None:
        store, self._store = self._store, None
        if store:
            self._lib.X509_STORE_free(store)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def verify(self, chain_der: Sequence[bytes], *, purpose: str = 'ssl_server',
               auth_level: Optional[int] = 1, at_time: Optional[int] = None) -> Optional[VerifyError]:
        """None when ``chain_der`` (DER certificates, leaf first, as the peer
        sent them) verifies, else the :class:`VerifyError`.  ``purpose`` is
        ``'ssl_server'`` to check a server (what a client does) or
        ``'ssl_client'`` to check a client; ``auth_level`` is the security
        level OpenSSL applies from the SSL (default 1: OpenSSL 3's and
        Node's default SECLEVEL; None for no check); ``at_time`` a Unix time to check
        validity at instead of now."""
        if purpose not in PURPOSES:
            raise ValueError('purpose must be one of %s, not %r' % (PURPOSES, purpose))
        if self._store is None:
            raise ValueError('TrustStore is closed')
        if not chain_der:
            return VerifyError(node_code(NO_PEER_CERTIFICATE), error_string(NO_PEER_CERTIFICATE),
                               NO_PEER_CERTIFICATE, -1)
        lib = self._lib
        certs: List[int] = []
        untrusted = ctx = None
        try:
            for der in chain_der:
                certs.append(_d2i(lib, der))
            untrusted = lib.OPENSSL_sk_new_null()
            ctx = lib.X509_STORE_CTX_new()
            if not untrusted or not ctx:
                raise MemoryError('OpenSSL allocation failed')
            for cert in certs[1:]:
                if not lib.OPENSSL_sk_push(untrusted, cert):
                    raise MemoryError('OPENSSL_sk_push failed')
            if not lib.X509_STORE_CTX_init(ctx, self._store, certs[0], untrusted):
                raise MemoryError('X509_STORE_CTX_init failed')
            lib.X509_STORE_CTX_set_default(ctx, purpose.encode('ascii'))
            lib.X509_STORE_CTX_set_verify_cb(ctx, _ACCEPT_ALL)
            param = lib.X509_STORE_CTX_get0_param(ctx)
            if auth_level is not None:
                lib.X509_VERIFY_PARAM_set_auth_level(param, auth_level)
            if at_time is not None:
                lib.X509_VERIFY_PARAM_set_time(param, at_time)
            _failures[ctx] = (0, -1)
            ok = lib.X509_verify_cert(ctx)
            errno = lib.X509_STORE_CTX_get_error(ctx)
            seen, depth = _failures.pop(ctx)
            if errno == 0 and ok == 1:
                return None
            if errno == 0:  # failed without a verification error: an internal one
                errno = 1  # X509_V_ERR_UNSPECIFIED
            if seen != errno:
                depth = -1
            return VerifyError(node_code(errno), error_string(errno), errno, depth)
        finally:
            if ctx:
                _failures.pop(ctx, None)
                lib.X509_STORE_CTX_free(ctx)
            if untrusted:
                lib.OPENSSL_sk_free(untrusted)  # the stack only; the certs are freed below
            for cert in certs:
                lib.X509_free(cert)
            lib.ERR_clear_error()


def _d2i(lib: Any, der: bytes) -> int:
    der = bytes(der)
    buf = ctypes.c_char_p(der)
    cert: Optional[int] = lib.d2i_X509(None, ctypes.byref(buf), len(der))
    if not cert:
        raise ValueError('not a DER certificate (%d bytes)' % len(der))
    return cert


def verify_chain_error(chain_der: Sequence[bytes], ca_pems: Optional[Sequence[PemLike]] = None, *,
                       purpose: str = 'ssl_server', auth_level: Optional[int] = 1,
                       at_time: Optional[int] = None) -> Optional[VerifyError]:
    """:meth:`TrustStore.verify` with a store made (and freed) for this call."""
    store = TrustStore(ca_pems)
    try:
        return store.verify(chain_der, purpose=purpose, auth_level=auth_level, at_time=at_time)
    finally:
        store.close()


def verify_chain(chain_der: Sequence[bytes], ca_pems: Optional[Sequence[PemLike]] = None, *,
                 purpose: str = 'ssl_server', auth_level: Optional[int] = 1) -> Optional[str]:
    """None when the chain verifies, else Node's code (``socket.authorizationError``)."""
    failed = verify_chain_error(chain_der, ca_pems, purpose=purpose, auth_level=auth_level)
    return None if failed is None else failed.code


def chain_from_sslobject(obj: Union[ssl.SSLObject, ssl.SSLSocket]) -> List[bytes]:
    """The peer's chain as it sent it, DER, leaf first (``[]`` for none), from
    a finished handshake.  Python 3.10-3.12 give ``_ssl.Certificate`` objects
    from the private ``_sslobj.get_unverified_chain()`` (3.13 also has a public
    method returning DER); OpenSSL leaves the peer's own certificate out of a
    server's view of the chain, which CPython puts back first."""
    inner: Any = getattr(obj, '_sslobj', obj)
    certs = inner.get_unverified_chain() if hasattr(inner, 'get_unverified_chain') else None
    # a server whose client sent no certificate gets [None] (the peer's place, empty)
    certs = [c for c in certs if c is not None] if certs else None
    if not certs:
        leaf = obj.getpeercert(binary_form=True)
        return [leaf] if leaf else []
    import _ssl
    encoding = getattr(_ssl, 'ENCODING_DER', 2)
    return [c if isinstance(c, bytes) else c.public_bytes(encoding) for c in certs]
