"""Node's ``'keylog'`` event: each TLS secret as an NSS key log line.

Owns: the ``SSL_CTX_set_keylog_callback`` callback gnet installs (through
``ctypes``, :mod:`gnet.tls.ossl`) on a context the first time one of its
connections wants its lines, and the map from a connection's ``SSL *`` back
to the socket that emits them.
Must not import: gevent, sockets, handles, streams (pure; the owner is any
object with an ``_on_keylog(line)`` method).

OpenSSL calls the callback during the handshake (inside ``do_handshake``,
with the line and the ``SSL *``); the ``SSL``'s app data is the
``PySSLSocket`` (``_ssl`` sets it), whose address keys the owners.  The
owner is told at once and emits on its next tick (a listener's exception
then reaches ``run()`` as any other's, instead of being lost inside a C
callback).  A context without the callback logs nothing, at no cost: it is
installed only when a socket (or its server) has a ``'keylog'`` listener,
as Node enables its callback then.  Lines end with ``\\n``, as Node's.
"""

from __future__ import annotations

import ctypes
import logging
import ssl
import weakref
from typing import Any

from .keying import app_data
from .ossl import bind, ssl_ctx_of

__all__ = ['watch', 'follow', 'install']

log: logging.Logger = logging.getLogger('gnet.tls.keylog')

#: void (*cb)(const SSL *ssl, const char *line)
_KEYLOG_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p)
_set_callback = bind('SSL_CTX_set_keylog_callback', None, [ctypes.c_void_p, _KEYLOG_CB])

#: id of a ``PySSLSocket`` -> the socket that emits its lines
_owners: 'weakref.WeakValueDictionary[int, Any]' = weakref.WeakValueDictionary()


def _on_line(pointer: Any, line: Any) -> None:
    try:
        owner = _owners.get(app_data(pointer) or 0)
        if owner is not None and line is not None:
            owner._on_keylog(bytes(line) + b'\n')
    except Exception:  # noqa: BLE001 -- nothing may leave a C callback
        log.exception('keylog callback failed')


_CALLBACK = _KEYLOG_CB(_on_line)


def install(context: ssl.SSLContext) -> bool:
    """The key log callback on ``context`` (once); False where it cannot be set."""
    if getattr(context, 'gnet_keylog', False):
        return True
    pointer = ssl_ctx_of(context)
    if pointer is None or _set_callback is None:
        return False
    _set_callback(pointer, _CALLBACK)
    context.gnet_keylog = True  # type: ignore[attr-defined]
    return True


def watch(obj: ssl.SSLObject, owner: Any) -> bool:
    """``owner._on_keylog(line)`` for every secret of the connection ``obj``."""
    inner = getattr(obj, '_sslobj', None)
    if inner is None or not install(obj.context):
        return False
    _owners[id(inner)] = owner
    return True


def follow(obj: ssl.SSLObject) -> None:
    """``obj`` was moved to another context (SNI): its lines keep coming if watched."""
    inner = getattr(obj, '_sslobj', None)
    if inner is not None and id(inner) in _owners:
        install(obj.context)
