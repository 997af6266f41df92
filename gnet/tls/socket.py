"""Node's ``tls.TLSSocket``: a :class:`gnet.Socket` whose handle is a TLS handle.

Owns: :class:`TLSSocket` -- taking over a connected socket's handle
(STARTTLS) or wrapping its own once connected (``tls.connect``), the end
of the handshake (the peer's chain and name checked, ``'secureConnect'`` /
``'secure'``, ``authorized``/``authorization_error``, ``alpn_protocol``),
the server side's handshake timeout and the routing of its handshake
errors to the server's ``'tlsClientError'`` -- and :func:`connect`.
Must not import: the TLS server module (it imports this one).

Everything else -- reads, writes, backpressure, half-close, timeouts,
``'close'`` -- is the plain socket's, over :class:`gnet.tls.handle.TLSHandle`.

Event order, as node 20 gives it: a client emits ``'connect'``, ``'ready'``,
then ``'secureConnect'`` and ``'secure'``; a failed check with
``reject_unauthorized`` destroys it with the check's error (``'error'``,
``'close'``\\ (True)) and no ``'secureConnect'``.  A server socket's
handshake failure is the server's ``'tlsClientError'`` (err, socket), the
socket already destroyed and closing with ``had_error`` True, and no
``'error'`` on the socket itself.
"""

from __future__ import annotations

import ssl
from typing import Any, Callable, Dict, List, Mapping, Optional

from .. import errors
from ..naming import node_aliases, options as merge_options
from ..net.handles.duplex import DuplexHandle
from ..net.ip import is_ip
from ..net.socket import Socket
from ..validators import validate_int32
from . import certs, identity, keying, keylog, session_events, sessions, verify
from .context import SecureContext, context_for
from .handle import TLSHandle, wrap_handle
from .record import SERVER_HANG_UP, RecordLayer
from .starttls import release_handle

__all__ = ['TLSSocket', 'connect', 'alpn_list', 'NET_SOCKET_OPTIONS']

#: the options of a TLS socket that belong to the plain socket under it
NET_SOCKET_OPTIONS = ('allow_half_open', 'readable', 'writable', 'signal', 'onread', 'no_delay',
                      'keep_alive', 'keep_alive_initial_delay', 'high_water_mark',
                      'readable_high_water_mark', 'writable_high_water_mark', 'block_list')

#: Node's default handshake timeout (ms)
HANDSHAKE_TIMEOUT_MS = 120000


@node_aliases
class TLSSocket(Socket):
    """A TLS connection: the socket API, with TLS's events and properties."""

    __slots__ = ('encrypted', 'authorized', '_authorization_error', '_alpn_protocol', 'servername',
                 '_secure_context', '_is_server', '_tls_server', '_tls_opts', '_record',
                 '_control_released', '_secure_established', '_handshake_timer', '_send_first',
                 '_sessions')

    def __init__(self, socket: Any = None, options: Any = None, **kwargs: Any):
        opts = merge_options(options if isinstance(options, Mapping) else None, **kwargs)
        Socket.__init__(self, {key: opts[key] for key in NET_SOCKET_OPTIONS if key in opts})
        self._tls_setup(opts, bool(opts.get('is_server')), opts.get('server'))
        if socket is not None:
            self._take_over(socket)

    @classmethod
    def _accepted(cls, config: Any, handle: Any, on_open: Optional[Callable[..., Any]],
                  paused: bool, server_loop: Any) -> 'TLSSocket':
        """A TLS server's connection: TLS starts in its first job (after a PROXY header)."""
        sock = cls.__new__(cls)
        sock._setup(config, None, server_loop)
        server = config.server
        sock._tls_setup(server._connection_options, True, server)
        sock._open(handle, on_open, paused)
        return sock

    # -- set-up --------------------------------------------------------------------------------
    def _tls_setup(self, opts: Dict[str, Any], is_server: bool, server: Any) -> None:
        context = context_for(opts)
        reject = opts.get('reject_unauthorized')
        self.encrypted: bool = True
        self.authorized: bool = False
        self._authorization_error: Optional[str] = None
        self._alpn_protocol: Any = None
        self.servername: Any = None
        self._secure_context = context
        self._is_server = is_server
        self._tls_server = server
        self._tls_opts: Dict[str, Any] = {
            'reject_unauthorized': reject is not False,
            'request_cert': bool(opts.get('request_cert')),
            'servername': opts.get('servername'),
            'host': opts.get('host'),
            'session': _session_option(opts.get('session')),
            'check_server_identity': opts.get('check_server_identity') or identity.check_server_identity,
            'alpn': alpn_list(opts.get('alpn_protocols')),
        }
        self._record: Optional[RecordLayer] = None
        self._control_released = not is_server  # a client's errors are its own 'error'
        self._secure_established = False
        self._handshake_timer: Any = None
        self._send_first = b''  # a taken-over socket's unsent plaintext, before any record
        self._sessions: Any = None  # a server's 'newSession'/'resumeSession' (session_events)

    def _take_over(self, socket: Any) -> None:
        """TLS over ``socket``: a gnet Socket (STARTTLS; one still connecting is taken
        over at its ``'connect'``) or any other Duplex stream (Node's JSStreamSocket)."""
        if not isinstance(socket, Socket):
            if not callable(getattr(socket, 'write', None)) or not callable(getattr(socket, 'on', None)):
                raise errors.ERR_INVALID_ARG_TYPE('socket', ['net.Socket', 'stream.Duplex'], socket)
            self._open(DuplexHandle(socket, self._loop.hub), None, False)
            self._start_tls()
            return
        if socket.connecting:
            self.connecting = True
            self._hold_loop()
            socket.once('connect', lambda: self._runner.start(lambda: self._take_over_now(socket)))
            return
        if socket._handle is None:
            raise errors.ERR_SOCKET_CLOSED()
        self._take_over_now(socket)

    def _take_over_now(self, socket: Socket) -> None:
        handle, self._send_first = release_handle(socket)
        if self.connecting:  # we waited for its connect: now it is ours, connect as ours
            self._handle = handle
            self._runner.attach(handle)
            self._connected()
            return
        self._open(handle, None, False)
        self._start_tls()

    # -- the TLS layer -----------------------------------------------------------------------------
    def _start_tls(self) -> None:
        """Wrap the connected handle and send the first flight (in this socket's greenlet or not)."""
        raw = self._handle
        if raw is None or self._record is not None:
            return
        opts = self._tls_opts
        if self._is_server:
            context = self._secure_context.for_server()
            name = None
        else:
            context = self._secure_context.for_client()
            name = opts['servername'] or opts['host'] or 'localhost'
            self.servername = opts['servername']
        if not self._is_server:  # per connection: SSL_new copies it, so set it each time
            context.set_alpn_protocols(opts['alpn'])
        server_hostname = None if name is None or is_ip(name) else name
        try:
            session = opts['session']
            as_bytes = isinstance(session, (bytes, bytearray, memoryview))
            record = RecordLayer(context, self._is_server, server_hostname,
                                 None if as_bytes else session)
            if as_bytes:
                sessions.resume_with(record.obj, bytes(session))
        except (ssl.SSLError, ValueError) as exc:
            self.destroy(errors.NodeError(str(exc), code='ERR_SSL_SETUP'))
            return
        self._record = record
        self._watch_keylog(record)
        handle = wrap_handle(raw, record, self._loop.hub, self._on_secure)
        if not self._is_server:
            handle.on_session = self._on_session
        else:
            self._sessions = session_events.enable(self, self._tls_server, handle, record.obj)
        if self._send_first:
            handle.send_first(self._send_first)
            self._send_first = b''
        self._handle = handle
        self._runner.attach(handle)
        if self._is_server:
            timeout = self._server_handshake_timeout()
            if timeout > 0:
                self._handshake_timer = self._loop.set_timeout(self._on_handshake_timeout,
                                                               timeout).unref()
        if self._is_server and self._tls_server is None:
            # Node reads the ClientHello on a later tick: listeners added after the
            # constructor (a 'keylog' one) hear the whole handshake
            self._runner.next_tick(self._start_handle, handle)
        else:
            self._start_handle(handle)

    def _start_handle(self, handle: TLSHandle) -> None:
        if self.destroyed or self._handle is not handle:
            return
        try:
            handle.start()
        except errors.NodeError as err:
            self.destroy(err)

    def _watch_keylog(self, record: RecordLayer) -> None:
        """Node enables its key log callback for a socket with a ``'keylog'`` listener, and
        for a server's socket while the server has one (its ``(line, socket)`` event)."""
        server = self._tls_server
        if server is not None and server.listener_count('keylog'):
            self.on('keylog', lambda line: server.emit('keylog', line, self))
        elif 'keylog' in self._events:
            keylog.watch(record.obj, self)

    def _add(self, event: str, listener: Any, prepend: bool) -> Any:
        if event == 'keylog' and self._record is not None:
            keylog.watch(self._record.obj, self)
        return Socket._add(self, event, listener, prepend)

    def _on_keylog(self, line: bytes) -> None:
        """From the key log callback, inside the handshake: emitted on the next tick."""
        self._runner.next_tick(self.emit, 'keylog', line)

    def _connected(self) -> None:
        """``tls.connect``'s transport is up: TLS first (no byte leaves in clear), then the
        socket's ``'connect'``, ``'ready'`` and the flush of writes made meanwhile."""
        if self._record is None:
            self._start_tls()
            if self.destroyed:
                return
        Socket._connected(self)

    def _server_handshake_timeout(self) -> int:
        server = self._tls_server
        value = getattr(server, 'handshake_timeout', HANDSHAKE_TIMEOUT_MS)
        return int(value) if value else 0

    def _on_handshake_timeout(self) -> None:
        self._handshake_timer = None
        if not self._secure_established and not self.destroyed:
            self.destroy(errors.NodeError('TLS handshake timeout', code='ERR_TLS_HANDSHAKE_TIMEOUT'))

    def _on_secure(self) -> None:
        """From the handle, inside a read or write: finish on a tick (before any 'data')."""
        self._runner.next_tick(self._finish_handshake)

    def _on_session(self, session: Any) -> None:
        """From the handle: a resumable session (the ``session`` option takes it)."""
        self._runner.next_tick(self.emit, 'session', session)

    def _finish_handshake(self) -> None:
        if self.destroyed or self._record is None:
            return
        if self._sessions is not None and self._sessions.hold_secure(self._finish_handshake):
            return  # 'newSession' is not answered yet: Node's _securePending
        if self._handshake_timer is not None:
            self._handshake_timer.close()
            self._handshake_timer = None
        self._secure_established = True
        obj = self._record.obj
        self._alpn_protocol = obj.selected_alpn_protocol() or False
        if self._is_server:
            self.servername = getattr(obj, 'gnet_servername', None) or False
            self._secure_context = getattr(obj, 'gnet_context', None) or self._secure_context  # SNI's
            self._server_secure()
        else:
            self._client_secure()

    def _client_secure(self) -> None:
        error = self._verify_peer()
        opts = self._tls_opts
        if error is None:
            self.authorized = True
        else:
            self.authorized = False
            self._authorization_error = getattr(error, 'code', None) or str(error)
            if opts['reject_unauthorized']:
                self.destroy(error)
                return
        self.emit('secureConnect')
        self.emit('secure')

    def _verify_peer(self) -> Optional[BaseException]:
        """The chain, then the name (Node's order); the first failure, or None."""
        record = self._record
        assert record is not None
        chain = verify.chain_from_sslobject(record.obj)
        failed = verify.verify_chain_error(chain, self._secure_context.ca_pems())
        if failed is not None:
            return errors.NodeError(failed.reason, code=failed.code)
        if record.obj.session_reused:
            return None
        opts = self._tls_opts
        hostname = opts['servername'] or opts['host'] or 'localhost'
        check: Callable[..., Any] = opts['check_server_identity']
        return check(hostname, self.get_peer_certificate(True))  # type: ignore[no-any-return]

    def _server_secure(self) -> None:
        """Node's ``onServerSocketSecure``: a requested certificate is verified now (the
        handshake took any); rejecting a failed one hangs up -- the server's
        ``'tlsClientError'`` ECONNRESET, no ``'secureConnection'``."""
        opts = self._tls_opts
        server = self._tls_server
        if opts['request_cert']:
            record = self._record
            assert record is not None
            chain = verify.chain_from_sslobject(record.obj)
            if chain:
                failed = verify.verify_chain_error(chain, self._secure_context.ca_pems(),
                                                   purpose='ssl_client')
                code = None if failed is None else failed.code
            else:
                code = verify.node_code(verify.NO_PEER_CERTIFICATE)
            self.authorized = code is None
            self._authorization_error = code
            if code is not None and opts['reject_unauthorized']:
                self.destroy(errors.NodeError(SERVER_HANG_UP, code='ECONNRESET'))
                return
        self._control_released = True
        self.emit('secure')
        if server is not None and not self.destroyed:
            server.emit('secureConnection', self)

    # -- errors ------------------------------------------------------------------------------------
    def destroy(self, err: Optional[BaseException] = None, cb: Any = None) -> 'TLSSocket':
        """As the socket's; a server socket's error before the handshake ended goes to the
        server's ``'tlsClientError'`` instead of this socket's ``'error'`` (Node's ``_tlsError``)."""
        if self._handshake_timer is not None:
            self._handshake_timer.close()
            self._handshake_timer = None
        server = self._tls_server
        record = self._record
        if err is not None and record is not None and not self._secure_established:
            # a callback's own error (SNICallback's) failed the handshake: Node reports it
            err = getattr(record.obj, 'gnet_handshake_error', None) or err
        if (err is not None and not self._control_released and server is not None
                and not self.destroyed):
            for state in (self._readable_state, self._writable_state):
                state.error_emitted = True
            Socket.destroy(self, err, cb)
            server.emit('tlsClientError', err, self)
            return self
        Socket.destroy(self, err, cb)
        return self

    # -- TLS properties -------------------------------------------------------------------
    @property
    def alpn_protocol(self) -> Any:
        """The protocol ALPN agreed on; False when none was; None before the handshake."""
        return self._alpn_protocol

    @property
    def authorization_error(self) -> Optional[str]:
        """Why the peer's certificate is not trusted (Node's code), or None."""
        return self._authorization_error

    def get_protocol(self) -> Optional[str]:
        record = self._record
        return record.obj.version() if record is not None and record.handshake_done else None

    def get_cipher(self) -> Any:
        record = self._record
        if record is None or not record.handshake_done:
            return None
        cipher = record.obj.cipher()
        if cipher is None:
            return None
        name, version, _bits = cipher
        return {'name': name, 'standardName': _standard_name(name), 'version': version}

    def get_peer_certificate(self, detailed: bool = False) -> Dict[str, Any]:
        record = self._record
        if record is None or not record.handshake_done:
            return {}
        trusted = self._secure_context.ca_ders() if detailed else []
        return certs.peer_certificate(verify.chain_from_sslobject(record.obj), detailed, trusted)

    def get_certificate(self) -> Dict[str, Any]:
        record = self._record
        own = _own_certificate_der(self._secure_context)
        if record is None or own is None:
            return {}
        return certs.certificate_dict(own)

    def get_session(self) -> Any:
        record = self._record
        return None if record is None else record.obj.session

    def is_session_reused(self) -> bool:
        record = self._record
        return bool(record is not None and record.obj.session_reused)

    def get_finished(self) -> Optional[bytes]:
        """The latest Finished message sent (OpenSSL's ``SSL_get_finished``), None before."""
        record = self._record
        return None if record is None else keying.finished(record.obj, False)

    def get_peer_finished(self) -> Optional[bytes]:
        """The latest Finished message received, None before."""
        record = self._record
        return None if record is None else keying.finished(record.obj, True)

    def export_keying_material(self, length: int, label: str, context: Any = None) -> bytes:
        """RFC 5705 keying material, the same at both ends (Node's argument errors;
        ``ERR_TLS_INVALID_STATE`` before the handshake)."""
        record = self._record
        return keying.export_keying_material(None if record is None else record.obj, length, label,
                                             context, self._secure_established)

    def disable_renegotiation(self) -> None:
        """Renegotiation is always refused (OpenSSL's ``OP_NO_RENEGOTIATION``)."""

    def set_max_send_fragment(self, size: int) -> bool:
        validate_int32(size, 'size', 512, 16384)
        return False  # Python's ssl cannot set it: Node's "not applied" answer

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    alpnProtocol = alpn_protocol
    authorizationError = authorization_error
    getProtocol = get_protocol
    getCipher = get_cipher
    getPeerCertificate = get_peer_certificate
    getCertificate = get_certificate
    getSession = get_session
    isSessionReused = is_session_reused
    getFinished = get_finished
    getPeerFinished = get_peer_finished
    exportKeyingMaterial = export_keying_material
    disableRenegotiation = disable_renegotiation
    setMaxSendFragment = set_max_send_fragment


def _own_certificate_der(context: SecureContext) -> Optional[bytes]:
    if not context.certs:
        return None
    return ssl.PEM_cert_to_DER_cert(context.certs[0].decode('ascii', 'replace'))


def _standard_name(name: str) -> str:
    return name if name.startswith('TLS_') else name


def _session_option(value: Any) -> Any:
    """Node's ``session``: a session's bytes (or, in gnet, an ``ssl.SSLSession``)."""
    if value is None or isinstance(value, (bytes, bytearray, memoryview, ssl.SSLSession)):
        return value
    err = errors.ERR_INVALID_ARG_TYPE.__new__(errors.ERR_INVALID_ARG_TYPE)
    errors.NodeError.__init__(err, 'Session must be a buffer')  # node 20's own words
    raise err


def alpn_list(value: Any) -> List[str]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise errors.ERR_INVALID_ARG_TYPE('options.ALPNProtocols', 'Array', value)
    out = []
    for item in value:
        if isinstance(item, (bytes, bytearray)):
            item = bytes(item).decode('latin-1')
        if not isinstance(item, str):
            raise errors.ERR_INVALID_ARG_TYPE('options.ALPNProtocols', 'Array', value)
        out.append(item)
    return out


def connect(*args: Any, **kwargs: Any) -> TLSSocket:
    """``tls.connect(options[, cb])``, ``(port[, host][, options][, cb])``, ``(path[, options][, cb])``.

    ``callback`` is a ``'secureConnect'`` listener.  With ``options['socket']``
    the handshake runs over that connected socket (STARTTLS).
    """
    options, callback = _connect_args(args, kwargs)
    existing = options.get('socket')
    sock = TLSSocket(existing, {k: v for k, v in options.items() if k != 'socket'})
    if callback is not None:
        sock.once('secureConnect', callback)
    if existing is None:
        net_opts = {k: v for k, v in options.items() if k not in NET_SOCKET_OPTIONS}
        sock.connect(net_opts)
    return sock


def _connect_args(args: Any, kwargs: Dict[str, Any]) -> Any:
    args = list(args)
    callback = args.pop() if args and callable(args[-1]) else None
    options: Dict[str, Any] = {}
    extra: Optional[Mapping[str, Any]] = None
    if args and isinstance(args[0], Mapping):
        extra = args[0]
    elif args:
        first = args.pop(0)
        if isinstance(first, str) and not first.isdigit():
            options['path'] = first
        else:
            options['port'] = first
            if args and isinstance(args[0], str):
                options['host'] = args.pop(0)
        if args and isinstance(args[0], Mapping):
            extra = args[0]
    merged = merge_options(extra, **kwargs)
    merged.update(options)
    return merged, callback
