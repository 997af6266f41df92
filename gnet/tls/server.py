"""Node's ``tls.Server``: a :class:`gnet.Server` whose connections are TLS sockets.

Owns: :class:`Server` and :func:`create_server` -- the server's secure
context, its TLS options for every connection (``request_cert``,
``reject_unauthorized``, ALPN, ``SNICallback`` or the contexts of
``addContext``, ``handshake_timeout``), and
the start of TLS on each accepted connection: after the PROXY header (if the
server reads one), before ``'connection'``, as Node wraps the raw socket in
its ``'connection'`` listener.
Must not import: the CLI.

Events: ``'connection'`` (the TLS socket: the one object gnet makes per
connection; Node's is the raw socket under it), ``'secureConnection'``
after the handshake, ``'tlsClientError'`` (err, socket) when a handshake
fails, plus every ``net.Server`` event.
"""

from __future__ import annotations

import re
import ssl
import weakref
from typing import Any, Callable, Dict, List, Optional, Tuple

from .. import errors
from ..naming import node_aliases, options as merge_options
from ..net.server import Server as NetServer
from ..proxy.gate import read_header
from ..validators import validate_number
from . import keylog
from .context import SecureContext, context_for, create_secure_context, set_sni_callback
from .ossl import accept_any_peer_certificate, enforce_alpn
from .socket import HANDSHAKE_TIMEOUT_MS, TLSSocket, alpn_list

__all__ = ['Server', 'create_server']

#: the options of a TLS server that belong to the net server under it
NET_SERVER_OPTIONS = ('allow_half_open', 'pause_on_connect', 'no_delay', 'keep_alive',
                      'keep_alive_initial_delay', 'high_water_mark', 'block_list',
                      'proxy_protocol', 'proxy_protocol_timeout')
#: the options each connection's TLS layer takes from the server
CONNECTION_OPTIONS = ('request_cert', 'reject_unauthorized', 'alpn_protocols')


@node_aliases
class Server(NetServer):
    """A TLS server (Node's ``tls.Server``)."""

    _connection_class = TLSSocket

    def __init__(self, options: Any = None, secure_connection_listener: Optional[Callable[..., Any]] = None,
                 **kwargs: Any):
        if callable(options) and secure_connection_listener is None:
            options, secure_connection_listener = None, options
        if options is not None and not isinstance(options, dict):
            raise errors.ERR_INVALID_ARG_TYPE('options', 'Object', options)
        opts = merge_options(options, **kwargs)
        timeout = opts.get('session_timeout')
        if timeout is not None and (not timeout or timeout != timeout):
            del opts['session_timeout']  # Node's server passes on only a truthy sessionTimeout
        NetServer.__init__(self, {key: opts[key] for key in NET_SERVER_OPTIONS if key in opts})
        context = context_for(opts, shared=False)
        timeout = opts.get('handshake_timeout', HANDSHAKE_TIMEOUT_MS)
        validate_number(timeout, 'options.handshakeTimeout', 0)
        self.handshake_timeout = timeout
        self._sni_callback = opts.get('sni_callback') or self._added_context
        if not callable(self._sni_callback):
            raise errors.ERR_INVALID_ARG_TYPE('options.SNICallback', 'Function', self._sni_callback)
        self._contexts: List[Tuple[re.Pattern[str], SecureContext]] = []
        self._configured: weakref.WeakSet[ssl.SSLContext] = weakref.WeakSet()
        self._connection_options: Dict[str, Any] = {
            key: opts[key] for key in CONNECTION_OPTIONS if key in opts}
        self._alpn = alpn_list(opts.get('alpn_protocols'))
        self._use_context(context)
        if secure_connection_listener is not None:
            self.on('secureConnection', secure_connection_listener)

    def _on_sni(self, obj: Any, servername: Optional[str], context: ssl.SSLContext) -> Any:
        """OpenSSL's servername callback: note the name; ``SNICallback`` may pick the context."""
        obj.gnet_servername = servername
        callback = self._sni_callback
        if callback is None or servername is None:
            return None
        answer: Dict[str, Any] = {}

        def done(err: Any = None, ctx: Any = None) -> None:
            answer['err'], answer['ctx'] = err, ctx
        callback(servername, done)
        if answer.get('err') is not None:
            obj.gnet_handshake_error = answer['err']  # the tlsClientError, as Node's
        if answer.get('err') is not None or 'ctx' not in answer:
            return ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE
        chosen = answer['ctx']
        if isinstance(chosen, SecureContext):
            # as Node: the chosen context brings its certificate and CAs (a client
            # certificate is verified against them); this server's request_cert and
            # ALPN apply to it as to its own context
            obj.context = self._configure(chosen)
            obj.gnet_context = chosen
            keylog.follow(obj)  # its secrets now come from the chosen context's callback
        return None

    def _emit_connection(self, conn: Any) -> None:
        """In the connection's greenlet: the PROXY header, then TLS, then ``'connection'``."""
        if self.proxy_protocol and read_header(conn, self.proxy_protocol_timeout) is None:
            return
        conn.remote_address  # noqa: B018 -- read once, kept: 'tlsClientError' can still name the peer
        conn._start_tls()
        if conn.destroyed:
            return
        conn._start_reading()
        self.emit('connection', conn)

    def add_context(self, hostname: str, context: Any) -> None:
        """Node's ``server.addContext``: a client naming ``hostname`` (``*`` matches
        one label) gets ``context`` (a SecureContext or its options); the latest
        match wins.  Used when the server has no ``SNICallback``."""
        if not hostname:
            raise errors.NodeError('"servername" is required parameter for Server.addContext',
                                   code='ERR_TLS_REQUIRED_SERVER_NAME')
        pattern = re.compile('^%s$' % re.escape(hostname).replace(r'\*', '[^.]*'))
        chosen = context if isinstance(context, SecureContext) else create_secure_context(context)
        self._contexts.append((pattern, chosen))

    def _added_context(self, servername: str, callback: Callable[..., Any]) -> None:
        """The SNI callback of a server without one: the contexts of :meth:`add_context`."""
        for pattern, context in reversed(self._contexts):
            if pattern.match(servername):
                callback(None, context)
                return
        callback(None, None)

    def set_secure_context(self, options: Any) -> None:
        """Node's ``server.setSecureContext``: new connections use the new context."""
        self._use_context(create_secure_context(options))

    def get_ticket_keys(self) -> bytes:
        """The 48 bytes that encrypt this server's session tickets (Node's layout)."""
        return self._secure_context.ticket_keys

    def set_ticket_keys(self, keys: Any) -> None:
        """New session ticket keys: 48 bytes (a ``bytes``-like object, Node's errors)."""
        self._secure_context.set_ticket_keys(keys)

    def _use_context(self, context: SecureContext) -> None:
        """Connections accepted from now on use ``context`` with this server's TLS options."""
        self._secure_context = context
        self._connection_options['secure_context'] = context
        set_sni_callback(self._configure(context), self._on_sni)

    def _configure(self, context: SecureContext) -> ssl.SSLContext:
        """``context``'s server-side ``SSLContext``, set up with this server's
        ``request_cert``, ``reject_unauthorized`` and ALPN protocols (once per context:
        an SNI callback may pick the same one for every handshake)."""
        server_context = context.for_server()
        if server_context in self._configured:
            return server_context
        self._configured.add(server_context)
        if self._connection_options.get('request_cert'):
            # as Node: with reject_unauthorized a client without a certificate fails the
            # handshake (FAIL_IF_NO_PEER_CERT)
            rejecting = self._connection_options.get('reject_unauthorized') is not False
            server_context.verify_mode = ssl.CERT_REQUIRED if rejecting else ssl.CERT_OPTIONAL
            # ... and takes any certificate: the socket verifies it after the handshake
            if not accept_any_peer_certificate(server_context) and context.ca is None:
                server_context.load_default_certs(ssl.Purpose.CLIENT_AUTH)  # OpenSSL checks
        if self._alpn:
            server_context.set_alpn_protocols(self._alpn)
            enforce_alpn(server_context, self._alpn)  # no protocol in common: fatal, as Node
        return server_context

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    addContext = add_context
    setSecureContext = set_secure_context
    getTicketKeys = get_ticket_keys
    setTicketKeys = set_ticket_keys


def create_server(options: Any = None, secure_connection_listener: Optional[Callable[..., Any]] = None,
                  **kwargs: Any) -> Server:
    """``tls.createServer([options][, secureConnectionListener])``."""
    return Server(options, secure_connection_listener, **kwargs)
