"""Secure contexts: Node's ``tls.createSecureContext(options)`` on ``ssl.SSLContext``.

Owns: :class:`SecureContext` and :func:`create_secure_context` -- keys and
certificates given as PEM text (or PKCS#12, ``pfx``) (loaded from memory, never from a file the
caller must write), CAs, passphrases, cipher lists, the protocol range and
ALPN; the ``DEFAULT_*`` constants.
Must not import: gevent, sockets, handles, streams (pure).

A Node secure context serves either end of a connection; Python's
``ssl.SSLContext`` is made for one.  So a :class:`SecureContext` keeps the
options and makes each role's ``SSLContext`` the first time that role
needs it (:meth:`SecureContext.for_server`, :meth:`SecureContext.for_client`);
``context`` is the one for the role its options point to (a key and
certificate: a server).  The client's context never fails a handshake for
a certificate it does not trust: as Node's, it completes the handshake,
and the socket then checks the chain and the name (``reject_unauthorized``).
"""

from __future__ import annotations

import _ssl
import os
import re
import ssl
from collections import OrderedDict
from typing import Any, Dict, Iterator, List, Optional, Sequence, Union

from .. import errors
from ..naming import options as merge_options
from ..net.handles.descriptors import close_fd
from ..validators import validate_int32
from .pkcs12 import pfx_entries, to_pem as pfx_to_pem
from .sessions import set_cache_mode, set_timeout
from .tickets import apply as apply_ticket_keys, ticket_keys

__all__ = ['SecureContext', 'create_secure_context', 'context_for', 'get_ciphers', 'set_sni_callback',
           'DEFAULT_MIN_VERSION', 'DEFAULT_MAX_VERSION', 'DEFAULT_ECDH_CURVE', 'DEFAULT_CIPHERS',
           'pem_list']

DEFAULT_MIN_VERSION = 'TLSv1.2'
DEFAULT_MAX_VERSION = 'TLSv1.3'
DEFAULT_ECDH_CURVE = 'auto'
#: Node 20's default cipher list (TLS 1.2 and below; TLS 1.3 suites are OpenSSL's)
DEFAULT_CIPHERS = ('TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:'
                   'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:'
                   'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:'
                   'DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:'
                   'ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:'
                   'DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:'
                   '!SRP:!CAMELLIA')


def set_sni_callback(context: ssl.SSLContext, callback: Any) -> None:
    """``context.sni_callback = callback`` through ``_ssl``'s own setter.

    Under ``gevent.monkey.patch_all()`` ``ssl.SSLContext`` is gevent's
    subclass, whose ``sni_callback`` wrapper expects a socket (it reads
    ``_sslsock``) and fails on the ``SSLObject`` of a memory-BIO connection.
    gnet does its own I/O and needs no wrapping.
    """
    setter: Any = vars(_ssl._SSLContext)['sni_callback']  # the C-level descriptor
    setter.__set__(context, callback)


_VERSIONS = {'TLSv1': ssl.TLSVersion.TLSv1, 'TLSv1.1': ssl.TLSVersion.TLSv1_1,
             'TLSv1.2': ssl.TLSVersion.TLSv1_2, 'TLSv1.3': ssl.TLSVersion.TLSv1_3}

Pem = Union[str, bytes, bytearray]

_PEM_BLOCK = re.compile(rb'-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----', re.S)


def pem_list(value: Any, name: str) -> List[bytes]:
    """A PEM option (one text, or a list of them) as a list of bytes; Node's type errors."""
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item.encode('ascii', 'replace'))
        elif isinstance(item, (bytes, bytearray, memoryview)):
            out.append(bytes(item))
        else:
            raise errors.ERR_INVALID_ARG_TYPE(
                'options.%s' % name, ['string', 'Buffer', 'TypedArray', 'DataView'], item)
    return out


def _version(value: Any, which: str) -> ssl.TLSVersion:
    version = _VERSIONS.get(value) if isinstance(value, str) else None
    if version is None:
        raise errors.NodeError('"%s" is not a valid %s TLS protocol version' % (value, which),
                               code='ERR_TLS_INVALID_PROTOCOL_VERSION', name='TypeError')
    return version


class _MemoryFile:
    """A path the ``ssl`` module can open that holds ``data`` and exists only in memory."""

    def __init__(self, data: bytes):
        self.fd = os.memfd_create('gnet-tls', os.MFD_CLOEXEC)
        os.write(self.fd, data)

    @property
    def path(self) -> str:
        return '/proc/self/fd/%d' % self.fd

    def __enter__(self) -> '_MemoryFile':
        return self

    def __exit__(self, *exc: Any) -> None:
        close_fd(self.fd)  # at once, even where gevent patched os.close to defer it


class SecureContext:
    """Node's ``SecureContext``: the options of :func:`create_secure_context`, per role."""

    def __init__(self, options: Optional[Dict[str, Any]] = None):
        opts = dict(options or {})
        self._options = opts
        self.keys: List[bytes] = pem_list(opts['key'], 'key') if opts.get('key') is not None else []
        self.certs: List[bytes] = pem_list(opts['cert'], 'cert') if opts.get('cert') is not None else []
        self.ca: Optional[List[bytes]] = pem_list(opts['ca'], 'ca') if opts.get('ca') is not None else None
        passphrase = opts.get('passphrase')
        if passphrase is not None and not isinstance(passphrase, (str, bytes)):
            raise errors.ERR_INVALID_ARG_TYPE('options.passphrase', 'string', passphrase)
        self.passphrase = passphrase
        if opts.get('pfx') is not None:  # PKCS#12: its key and chain join the PEM ones
            for archive, secret in pfx_entries(opts['pfx'], passphrase):
                key, chain = pfx_to_pem(archive, secret)
                self.keys.append(key)
                self.certs.append(chain)
        self.min_version: ssl.TLSVersion = _version(opts.get('min_version') or DEFAULT_MIN_VERSION, 'minimum')
        self.max_version: ssl.TLSVersion = _version(opts.get('max_version') or DEFAULT_MAX_VERSION, 'maximum')
        ciphers = opts.get('ciphers')
        if ciphers is not None and not isinstance(ciphers, str):
            raise errors.ERR_INVALID_ARG_TYPE('options.ciphers', 'string', ciphers)
        self.ciphers = ciphers
        given = opts.get('ticket_keys')
        #: the server's session ticket keys (Node: random per context unless given)
        self.ticket_keys: bytes = os.urandom(48) if given is None else ticket_keys(given)
        timeout = opts.get('session_timeout')
        #: seconds a session (and a TLS 1.2 ticket) lives; None: OpenSSL's default
        self.session_timeout: Optional[int] = (None if timeout is None
                                else validate_int32(timeout, 'options.sessionTimeout', 0))
        self._server: Optional[ssl.SSLContext] = None
        self._client: Optional[ssl.SSLContext] = None
        if self.keys or self.certs:
            self.for_server()  # a bad key or certificate fails here, as in Node

    @property
    def context(self) -> ssl.SSLContext:
        """The ``ssl.SSLContext`` of the role these options are for."""
        return self.for_server() if (self.keys or self.certs) else self.for_client()

    def for_server(self) -> ssl.SSLContext:
        if self._server is None:
            self._server = self._make(ssl.PROTOCOL_TLS_SERVER)
            apply_ticket_keys(self._server, self.ticket_keys)
            set_cache_mode(self._server)  # Node's cache: session IDs resume via the events
        return self._server

    def set_ticket_keys(self, keys: Any) -> None:
        """New session ticket keys (48 bytes, Node's argument errors) for the server role."""
        self.ticket_keys = ticket_keys(keys, 'buffer')
        if self._server is not None:
            apply_ticket_keys(self._server, self.ticket_keys)

    def for_client(self) -> ssl.SSLContext:
        if self._client is None:
            context = self._make(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False      # the socket checks the name, as Node's
            context.verify_mode = ssl.CERT_NONE  # ... and the chain, after the handshake
            self._client = context
        return self._client

    def _make(self, protocol: int) -> ssl.SSLContext:
        context = ssl.SSLContext(protocol)
        context.minimum_version = self.min_version
        context.maximum_version = self.max_version
        try:
            if self.ciphers is not None:
                context.set_ciphers(self.ciphers)
            self._load_chain(context)
            # the system's roots are not loaded: gnet verifies peers itself (gnet.tls.verify),
            # and a hashed-directory store costs a directory scan per handshake
            if self.ca is not None:
                for pem in self.ca:
                    context.load_verify_locations(cadata=pem.decode('ascii', 'replace'))
        except ssl.SSLError as exc:
            raise _context_error(exc) from None
        context.options |= ssl.OP_NO_RENEGOTIATION
        if self.session_timeout is not None:
            set_timeout(context, self.session_timeout)
        return context

    def _load_chain(self, context: ssl.SSLContext) -> None:
        for key, cert in _pairs(self.keys, self.certs):
            with _MemoryFile(cert) as cert_file, _MemoryFile(key) as key_file:
                context.load_cert_chain(cert_file.path, key_file.path, self.passphrase)

    def ca_pems(self) -> Optional[Sequence[bytes]]:
        """The CAs a peer's chain is checked against (None: the system's roots)."""
        return self.ca

    def ca_ders(self) -> List[bytes]:
        """Every certificate of the ``ca`` option, DER (``[]`` without one)."""
        return [ssl.PEM_cert_to_DER_cert(block.decode('ascii'))
                for pem in self.ca or () for block in _PEM_BLOCK.findall(pem)]


def _pairs(keys: List[bytes], certs: List[bytes]) -> Iterator[Any]:
    if bool(keys) != bool(certs):
        # Node: a key without a certificate (or the reverse) is refused when used
        return iter(())
    return iter(zip(keys, certs, strict=False))


def _context_error(exc: ssl.SSLError) -> errors.NodeError:
    reason = str(exc.reason or 'UNKNOWN')
    return errors.NodeError('error:%s' % reason.lower().replace('_', ' '),
                            code='ERR_OSSL_' + reason.upper(), library=exc.library, reason=reason)


def create_secure_context(options: Any = None, **kwargs: Any) -> SecureContext:
    """Node's ``tls.createSecureContext(options)``."""
    if options is not None and not isinstance(options, dict):
        raise errors.ERR_INVALID_ARG_TYPE('options', 'Object', options)
    return SecureContext(merge_options(options, **kwargs))


def get_ciphers() -> List[str]:
    """Node's ``tls.getCiphers()``: the names of the supported ciphers, lower case.

    OpenSSL's default list plus the PSK suites, as node 20 lists them -- less
    the two TLS 1.3 CCM suites, which Python's ``ssl`` cannot enable.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.set_ciphers('DEFAULT:PSK')
    return sorted({cipher['name'].lower() for cipher in context.get_ciphers()})


def _root_certificates() -> List[str]:
    """The trusted roots a context uses without a ``ca`` option (the system's store here;
    Node's is the Mozilla list it bundles), as PEM text."""
    context = ssl.create_default_context()
    return [ssl.DER_cert_to_PEM_cert(der) for der in context.get_ca_certs(binary_form=True)]


#: the options that make a context (everything else is per connection)
CONTEXT_OPTIONS = ('key', 'cert', 'ca', 'pfx', 'passphrase', 'ciphers', 'min_version',
                   'max_version', 'ticket_keys', 'session_timeout')
#: contexts made from options, kept for the next connection with the same ones
_CACHE: 'OrderedDict[Any, SecureContext]' = OrderedDict()
_CACHE_SIZE = 64


def context_for(opts: Dict[str, Any], shared: bool = True) -> SecureContext:
    """The context of a connection or server made with ``opts``.

    ``secure_context`` if given (a :class:`SecureContext`); else one made from
    the context options, shared by every connection made with equal ones:
    making an ``SSLContext`` costs milliseconds (the system's trust store is
    read for each), and a client can resume a session only with the context
    that made it (Python's ``ssl`` checks), as Node's clients do across
    connections.  A server passes ``shared=False``: it sets its own options
    (ALPN, client certificates, SNI) on its context.
    """
    given = opts.get('secure_context')
    if given is not None:
        if not isinstance(given, SecureContext):
            raise errors.ERR_INVALID_ARG_TYPE('options.secureContext', 'SecureContext', given)
        return given
    chosen = {key: opts[key] for key in CONTEXT_OPTIONS if opts.get(key) is not None}
    if not shared:
        return create_secure_context(chosen)
    try:
        cache_key: Any = tuple(sorted((key, _frozen(value)) for key, value in chosen.items()))
        hash(cache_key)
    except TypeError:
        return create_secure_context(chosen)  # a value we cannot compare: no sharing
    context = _CACHE.get(cache_key)
    if context is None:
        context = _CACHE[cache_key] = create_secure_context(chosen)
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(cache_key)
    return context


def _frozen(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return value

