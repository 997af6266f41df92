"""A connection's keying material: RFC 5705 exporters and the Finished messages.

Owns: :func:`ssl_of` (the ``SSL *`` under an ``ssl.SSLObject``),
:func:`export_keying_material` (``SSL_export_keying_material``) and
:func:`finished` (``SSL_get_finished`` / ``SSL_get_peer_finished``), which
Python's ``ssl`` does not offer, called through ``ctypes`` in the libssl
``_ssl`` uses (:mod:`gnet.tls.ossl`).
Must not import: gevent, sockets, handles, streams (pure).

The ``SSL *`` is the second pointer field of CPython's ``PySSLSocket``
(after the weak reference to a socket, before the context); it is used only
when the field after it is the object's context and OpenSSL's app data of
that ``SSL`` (which ``_ssl`` sets to the ``PySSLSocket``) points back at the
object.  Where that does not hold, or libssl cannot be loaded, the functions
here answer None (:func:`ssl_of`) or raise ``ERR_GNET_TLS_UNSUPPORTED``.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any, Optional

from .. import errors
from ..validators import INT32_MAX, validate_uint32
from .ossl import bind

__all__ = ['ssl_of', 'app_data', 'export_keying_material', 'finished', 'unsupported']

_get_ex_data = bind('SSL_get_ex_data', ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_int])
_export = bind('SSL_export_keying_material', ctypes.c_int,
               [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t,
                ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int])
_get_finished = bind('SSL_get_finished', ctypes.c_size_t,
                     [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t])
_get_peer_finished = bind('SSL_get_peer_finished', ctypes.c_size_t,
                          [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t])

#: Node's "an instance of Buffer, TypedArray, or DataView"
_BUFFER_TYPES = ['Buffer', 'TypedArray', 'DataView']
_HEADER = ctypes.sizeof(ctypes.c_ssize_t) + ctypes.sizeof(ctypes.c_void_p)  # ob_refcnt, ob_type


def unsupported(what: str) -> errors.NodeError:
    """The error of a feature this Python's ``ssl`` module gives no way to."""
    return errors.NodeError('%s is not available with this Python\'s ssl module' % what,
                            code='ERR_GNET_TLS_UNSUPPORTED')


def app_data(pointer: int) -> Optional[int]:
    """OpenSSL's app data of an ``SSL *``: the address of the ``PySSLSocket`` that owns it."""
    return None if _get_ex_data is None else _get_ex_data(pointer, 0)


def ssl_of(obj: Any) -> Optional[int]:
    """The ``SSL *`` of an ``ssl.SSLObject`` (or of its ``_sslobj``), or None."""
    if sys.implementation.name != 'cpython' or _get_ex_data is None:
        return None
    inner = getattr(obj, '_sslobj', obj)
    if type(inner).__name__ != '_SSLSocket':  # only _ssl's own object has that layout
        return None
    fields = (ctypes.c_void_p * 3).from_address(id(inner) + _HEADER)
    pointer, context = fields[1], fields[2]
    if not pointer or context != id(getattr(inner, 'context', None)):
        return None
    if _get_ex_data(pointer, 0) != id(inner):
        return None
    return int(pointer)


def export_keying_material(obj: Any, length: Any, label: Any, context: Any = None,
                           established: bool = True) -> bytes:
    """``length`` bytes of keying material (RFC 5705 / RFC 8446 §7.5) for ``label`` (str),
    and ``context`` (bytes-like) if not None.  Both ends of a connection get the same
    bytes.  Node's argument errors, then ``ERR_TLS_INVALID_STATE`` unless
    ``established``; ``length`` above 2**31-1 is ``ERR_OUT_OF_RANGE`` (node 20
    aborts on it)."""
    validate_uint32(length, 'length', positive=True)
    if length > INT32_MAX:
        raise errors.ERR_OUT_OF_RANGE('length', '>= 1 && <= %d' % INT32_MAX, length)
    if not isinstance(label, str):
        raise errors.ERR_INVALID_ARG_TYPE('label', 'string', label)
    if context is not None:
        if not isinstance(context, (bytes, bytearray, memoryview)):
            raise errors.ERR_INVALID_ARG_TYPE('context', _BUFFER_TYPES, context)
        context = bytes(context)
    if not established or obj is None:
        raise errors.NodeError('TLS socket connection must be securely established',
                               code='ERR_TLS_INVALID_STATE')
    return _export_raw(obj, int(length), label.encode('utf-8'), context)


def _export_raw(obj: Any, length: int, label: bytes, context: Optional[bytes]) -> bytes:
    pointer = ssl_of(obj)
    if pointer is None or _export is None:
        raise unsupported('exportKeyingMaterial')
    out = ctypes.create_string_buffer(length)
    extra = context or b''
    status = _export(pointer, out, length, label, len(label), extra, len(extra),
                     0 if context is None else 1)
    if status != 1:
        raise errors.NodeError('Key extraction failed', code='ERR_CRYPTO_OPERATION_FAILED')
    return out.raw


def finished(obj: Any, peer: bool) -> Optional[bytes]:
    """The latest Finished message sent (``peer``: received), None if there is none yet."""
    pointer = ssl_of(obj)
    function = _get_peer_finished if peer else _get_finished
    if pointer is None or function is None:
        raise unsupported('getPeerFinished' if peer else 'getFinished')
    size = int(function(pointer, None, 0))
    if not size:
        return None
    out = ctypes.create_string_buffer(size)
    function(pointer, out, size)
    return out.raw
