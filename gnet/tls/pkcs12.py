"""Node's ``pfx`` option: PKCS#12 archives turned into the PEM key and chain a context loads.

Owns: :func:`pfx_entries` (the option's forms: one archive, a list of them,
``{'buf': ..., 'passphrase': ...}`` objects, with Node's errors) and
:func:`to_pem` (an archive, opened with ``d2i_PKCS12_bio`` and ``PKCS12_parse``
of the libcrypto under ``_ssl``'s libssl, written back out as PEM in memory).
Must not import: gevent, sockets, handles, streams (pure).

The private key leaves the archive as unencrypted PEM ``bytes`` and is then
loaded as a ``key`` option is (from a memory file, never a file on disk).
The archive's extra certificates follow the certificate in the chain the
context presents, as Node's ``SSL_CTX_use_certificate_chain``.  OpenSSL's
failures are Node's messages (``mac verify failure`` for a wrong
passphrase, ``not enough data`` for bytes that are no archive).
"""

from __future__ import annotations

import ctypes
from typing import Any, List, Optional, Tuple

from .. import errors
from .ossl import bind

__all__ = ['pfx_entries', 'to_pem']

_P = ctypes.c_void_p
_d2i_bio = bind('d2i_PKCS12_bio', _P, [_P, _P])
_bio_new_mem_buf = bind('BIO_new_mem_buf', _P, [ctypes.c_char_p, ctypes.c_int])
_parse = bind('PKCS12_parse', ctypes.c_int,
              [_P, ctypes.c_char_p, ctypes.POINTER(_P), ctypes.POINTER(_P), ctypes.POINTER(_P)])
_p12_free = bind('PKCS12_free', None, [_P])
_bio_new = bind('BIO_new', _P, [_P])
_bio_s_mem = bind('BIO_s_mem', _P, [])
_bio_ctrl = bind('BIO_ctrl', ctypes.c_long, [_P, ctypes.c_int, ctypes.c_long, _P])
_bio_free = bind('BIO_free', ctypes.c_int, [_P])
_write_key = bind('PEM_write_bio_PrivateKey', ctypes.c_int, [_P, _P, _P, _P, ctypes.c_int, _P, _P])
_write_x509 = bind('PEM_write_bio_X509', ctypes.c_int, [_P, _P])
_pkey_free = bind('EVP_PKEY_free', None, [_P])
_x509_free = bind('X509_free', None, [_P])
_sk_num = bind('OPENSSL_sk_num', ctypes.c_int, [_P])
_sk_value = bind('OPENSSL_sk_value', _P, [_P, ctypes.c_int])
_sk_free = bind('OPENSSL_sk_free', None, [_P])
_err_get = bind('ERR_get_error', ctypes.c_ulong, [])
_err_clear = bind('ERR_clear_error', None, [])
_err_reason = bind('ERR_reason_error_string', ctypes.c_char_p, [ctypes.c_ulong])

BIO_CTRL_INFO = 3  # BIO_get_mem_data


def _unable() -> errors.NodeError:
    return errors.NodeError('Unable to load PFX certificate', code='ERR_CRYPTO_OPERATION_FAILED')


def pfx_entries(value: Any, passphrase: Any) -> List[Tuple[bytes, Optional[bytes]]]:
    """``(archive, passphrase)`` for each archive of the option; an object's own
    passphrase wins over the option's.  A ``str`` is taken as Node takes it (its
    bytes); anything else is Node's ``Unable to load PFX certificate``."""
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        own = passphrase
        if isinstance(item, dict):
            own = item.get('passphrase', passphrase)
            item = item.get('buf')
        if isinstance(item, str):
            item = item.encode('latin-1', 'replace')
        if not isinstance(item, (bytes, bytearray, memoryview)):
            raise _unable()
        if isinstance(own, str):
            own = own.encode('utf-8')
        out.append((bytes(item), None if own is None else bytes(own)))
    return out


def _openssl_error(default: str) -> errors.NodeError:
    code = _err_get() if _err_get is not None else 0
    reason = _err_reason(code) if code and _err_reason is not None else None
    text = reason.decode('ascii', 'replace') if reason else default
    if _err_clear is not None:
        _err_clear()
    return errors.NodeError(text, code='ERR_OSSL_' + text.upper().replace(' ', '_'), reason=text)


def _bio_text(bio: int) -> bytes:
    data = ctypes.c_char_p()
    size = _bio_ctrl(bio, BIO_CTRL_INFO, 0, ctypes.byref(data))
    return ctypes.string_at(data, size) if size > 0 and data else b''


def to_pem(archive: bytes, passphrase: Optional[bytes]) -> Tuple[bytes, bytes]:
    """The private key and the certificate chain (the certificate first) of a PKCS#12
    archive, PEM.  Raises Node's error for a wrong passphrase or a broken archive."""
    if _parse is None or _d2i_bio is None or _bio_new_mem_buf is None or _bio_s_mem is None:
        raise errors.NodeError('pfx is not available with this Python\'s ssl module',
                               code='ERR_GNET_TLS_UNSUPPORTED')
    if _err_clear is not None:
        _err_clear()
    source = _bio_new_mem_buf(archive, len(archive))
    try:
        p12 = _d2i_bio(source, None)  # as Node reads it (and its errors)
    finally:
        _bio_free(source)
    if not p12:
        raise _openssl_error('not enough data')
    pkey, cert, chain = _P(), _P(), _P()
    try:
        if _parse(p12, passphrase, ctypes.byref(pkey), ctypes.byref(cert), ctypes.byref(chain)) != 1:
            raise _openssl_error('mac verify failure')
    finally:
        _p12_free(p12)
    key_bio = _bio_new(_bio_s_mem())
    cert_bio = _bio_new(_bio_s_mem())
    try:
        if not pkey.value or not cert.value:
            raise _unable()
        _write_key(key_bio, pkey, None, None, 0, None, None)
        _write_x509(cert_bio, cert)
        extra = _sk_num(chain) if chain.value else 0
        for index in range(max(extra, 0)):
            _write_x509(cert_bio, _sk_value(chain, index))
        return _bio_text(key_bio), _bio_text(cert_bio)
    finally:
        _bio_free(key_bio)
        _bio_free(cert_bio)
        if pkey.value:
            _pkey_free(pkey)
        if cert.value:
            _x509_free(cert)
        if chain.value:
            for index in range(max(_sk_num(chain), 0)):
                _x509_free(_sk_value(chain, index))
            _sk_free(chain)
