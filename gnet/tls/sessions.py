"""A server's session cache as Node keeps it: external, through ``'newSession'``/``'resumeSession'``.

Owns: the session cache mode Node gives every server context (OpenSSL's
internal cache off: a session ID resumes only through the listeners),
``session_timeout`` (``SSL_CTX_set_timeout``), and the two OpenSSL session
callbacks gnet installs through ``ctypes`` (:mod:`gnet.tls.ossl`): the new
session callback (``i2d_SSL_SESSION`` of each new session, reported to the
connection's owner with its ID) and the lookup callback (the session a
``'resumeSession'`` listener returned, ``d2i_SSL_SESSION``, handed to
OpenSSL for the connection that asked).
Must not import: gevent, sockets, handles, streams (pure; an owner is any
object with an ``_on_new_session(session_id, data, tls13)`` method).

As in :mod:`gnet.tls.keylog`, an ``SSL *`` is mapped back to its owner by
its app data (the ``PySSLSocket``).  The callbacks act only for the
connections registered here (Node's ``enableSessionCallbacks``: a server with
listeners); others see OpenSSL's answers unchanged.
"""

from __future__ import annotations

import ctypes
import logging
import ssl
import weakref
from typing import Any, Dict, Optional

from .keying import app_data, ssl_of
from .ossl import bind, ssl_ctx_of
from .tickets import ctx_ctrl

__all__ = ['configure', 'set_cache_mode', 'resume_with', 'set_timeout', 'watch', 'load', 'discard', 'MAX_SESSION_SIZE']

log: logging.Logger = logging.getLogger('gnet.tls.sessions')

SSL_CTRL_SET_SESS_CACHE_MODE = 44
SSL_SESS_CACHE_CLIENT = 0x0001
SSL_SESS_CACHE_SERVER = 0x0002
SSL_SESS_CACHE_NO_AUTO_CLEAR = 0x0080
SSL_SESS_CACHE_NO_INTERNAL = 0x0100 | 0x0200
#: Node's mode for every secure context
NODE_CACHE_MODE = (SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL
                   | SSL_SESS_CACHE_NO_AUTO_CLEAR)
#: Node's SecureContext::kMaxSessionSize: a larger session is not reported
MAX_SESSION_SIZE = 10 * 1024
TLS1_3_VERSION = 0x0304

#: int (*new_session_cb)(SSL *, SSL_SESSION *)
_NEW_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
#: SSL_SESSION *(*get_session_cb)(SSL *, const unsigned char *id, int len, int *copy)
_GET_CB = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                           ctypes.POINTER(ctypes.c_int))

_set_new_cb = bind('SSL_CTX_sess_set_new_cb', None, [ctypes.c_void_p, _NEW_CB])
_set_get_cb = bind('SSL_CTX_sess_set_get_cb', None, [ctypes.c_void_p, _GET_CB])
_set_timeout = bind('SSL_CTX_set_timeout', ctypes.c_long, [ctypes.c_void_p, ctypes.c_long])
_i2d = bind('i2d_SSL_SESSION', ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p])
_d2i = bind('d2i_SSL_SESSION', ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long])
_get_id = bind('SSL_SESSION_get_id', ctypes.c_void_p, [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint)])
_get_version = bind('SSL_SESSION_get_protocol_version', ctypes.c_int, [ctypes.c_void_p])
_free = bind('SSL_SESSION_free', None, [ctypes.c_void_p])

#: id of a ``PySSLSocket`` -> the socket told of its new sessions
_owners: 'weakref.WeakValueDictionary[int, Any]' = weakref.WeakValueDictionary()
#: id of a ``PySSLSocket`` -> the ``SSL_SESSION *`` its lookup returns (ours until taken)
_loaded: Dict[int, int] = {}


def _serialize(session: int) -> Optional[bytes]:
    size = int(_i2d(session, None))
    if size <= 0 or size > MAX_SESSION_SIZE:
        return None
    out = ctypes.create_string_buffer(size)
    cursor = ctypes.c_void_p(ctypes.addressof(out))
    if int(_i2d(session, ctypes.byref(cursor))) != size:
        return None
    return out.raw


def _on_new(pointer: Any, session: Any) -> int:
    try:
        owner = _owners.get(app_data(pointer) or 0)
        if owner is not None and session:
            data = _serialize(session)
            if data is not None:
                length = ctypes.c_uint(0)
                raw = _get_id(session, ctypes.byref(length))
                session_id = ctypes.string_at(raw, length.value) if raw else b''
                owner._on_new_session(session_id, data, _get_version(session) >= TLS1_3_VERSION)
    except Exception:  # noqa: BLE001 -- nothing may leave a C callback
        log.exception('new session callback failed')
    return 0  # OpenSSL keeps no extra reference for us


def _on_lookup(pointer: Any, _key: Any, _length: int, copy: Any) -> Optional[int]:
    copy[0] = 0  # the reference d2i gave us passes to OpenSSL
    return _loaded.pop(app_data(pointer) or 0, None)


_NEW_CALLBACK = _NEW_CB(_on_new)
_GET_CALLBACK = _GET_CB(_on_lookup)


def set_cache_mode(context: ssl.SSLContext) -> bool:
    """Node's session cache mode on a server ``context``: no internal cache, so a session
    ID resumes only through the ``'resumeSession'`` event (tickets are not affected)."""
    pointer = ssl_ctx_of(context)
    if pointer is None or ctx_ctrl is None:
        return False
    ctx_ctrl(pointer, SSL_CTRL_SET_SESS_CACHE_MODE, NODE_CACHE_MODE, None)
    return True


def configure(context: ssl.SSLContext) -> bool:
    """Node's cache mode and gnet's two callbacks on a server ``context`` (once, when a
    connection first enables the session events: until then no handshake pays for a
    call into Python per new session)."""
    if getattr(context, 'gnet_sessions', False):
        return True
    pointer = ssl_ctx_of(context)
    if pointer is None or None in (ctx_ctrl, _set_new_cb, _set_get_cb, _i2d, _d2i, _get_id,
                                   _get_version, _free):
        return False
    ctx_ctrl(pointer, SSL_CTRL_SET_SESS_CACHE_MODE, NODE_CACHE_MODE, None)
    _set_new_cb(pointer, _NEW_CALLBACK)
    _set_get_cb(pointer, _GET_CALLBACK)
    context.gnet_sessions = True  # type: ignore[attr-defined]
    return True


def set_timeout(context: ssl.SSLContext, seconds: int) -> bool:
    """Sessions of ``context`` live ``seconds`` (a TLS 1.2 ticket's lifetime hint too)."""
    pointer = ssl_ctx_of(context)
    if pointer is None or _set_timeout is None:
        return False
    _set_timeout(pointer, seconds)
    return True


def _inner(obj: Any) -> Any:
    return getattr(obj, '_sslobj', None)


def watch(obj: ssl.SSLObject, owner: Any) -> bool:
    """``owner._on_new_session(...)`` for each new session of the connection ``obj``."""
    inner = _inner(obj)
    if inner is None or not configure(obj.context):
        return False
    _owners[id(inner)] = owner
    return True


def load(obj: ssl.SSLObject, data: Any) -> bool:
    """The session (DER bytes from ``'newSession'``) that OpenSSL's lookup returns next for
    ``obj``; False when ``data`` is not a session (the handshake then goes in full)."""
    inner = _inner(obj)
    if inner is None or _d2i is None or not isinstance(data, (bytes, bytearray, memoryview)):
        return False
    raw = ctypes.create_string_buffer(bytes(data), len(data))
    cursor = ctypes.c_void_p(ctypes.addressof(raw))
    session = _d2i(None, ctypes.byref(cursor), len(data))
    if not session:
        return False
    previous = _loaded.pop(id(inner), None)
    if previous is not None and _free is not None:
        _free(previous)
    _loaded[id(inner)] = int(session)
    return True


def discard(obj: Any) -> None:
    """Forget ``obj``: a loaded session OpenSSL did not take is freed."""
    inner = _inner(obj)
    if inner is None:
        return
    _owners.pop(id(inner), None)
    session = _loaded.pop(id(inner), None)
    if session is not None and _free is not None:
        _free(session)


_set_session = bind('SSL_set_session', ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p])
_get0_id_context = bind('SSL_SESSION_get0_id_context', ctypes.c_void_p,
                        [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint)])
_set_id_context = bind('SSL_set_session_id_context', ctypes.c_int,
                       [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint])


def resume_with(obj: ssl.SSLObject, data: bytes) -> bool:
    """A client connection ``obj`` offers the session ``data`` (DER bytes, as a Node
    session ``Buffer`` or a ``'newSession'``'s data) in its ClientHello; False, and a
    full handshake, when ``data`` is no session (Node ignores it too)."""
    pointer = ssl_of(obj)
    if pointer is None or None in (_d2i, _set_session, _free, _get0_id_context, _set_id_context):
        return False
    raw = ctypes.create_string_buffer(bytes(data), len(data))
    cursor = ctypes.c_void_p(ctypes.addressof(raw))
    session = _d2i(None, ctypes.byref(cursor), len(data))
    if not session:
        return False
    try:
        # a session made elsewhere (Node's is labelled by its context) resumes only under
        # the same session ID context: a client's is a mere label, so take the session's
        length = ctypes.c_uint(0)
        label = _get0_id_context(session, ctypes.byref(length))
        _set_id_context(pointer, label, length.value)
        return bool(_set_session(pointer, session))  # takes its own reference
    finally:
        _free(session)
