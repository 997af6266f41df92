"""The layers a contract runs over: plain ``net`` sockets, or ``tls`` on top of them.

Owns: :class:`SocketLayer` (how a layer makes a server, an unconnected client
socket, and secures an already connected Duplex pair; which events mean
"ready for the application"), :data:`PLAIN`, :func:`tls_layer` and the
throw-away PKI it uses unless given one (:func:`default_pki`, made once per
process in a temporary directory, removed at exit).
Must not import: pytest, gevent (it blocks through :func:`gnet.once`).

The socket checks (:mod:`gnet.testing.socket_checks`) and the stream pair
factories of a test suite take a layer, so one check proves a contract for
TCP, IPC and TLS over either::

    from gnet.testing.conformance import check_socket, tcp4
    from gnet.testing.layers import tls_layer
    check_socket(tcp4(tls_layer()))
"""

import atexit
import shutil
import tempfile
import threading
from typing import Any, Callable, Dict, NamedTuple, Optional, Tuple

from ..net.server import create_server
from ..net.socket import Socket
from ..runtime.sync import once
from .pki import TestPKI, make_pki

__all__ = ['SocketLayer', 'PLAIN', 'tls_layer', 'default_pki']

WAIT = 5.0


class SocketLayer(NamedTuple):
    """What a check needs to know of a layer.

    ``create_server(options, listener)`` returns an unlistened server whose
    ``listener`` gets each connection once the layer is ready on it
    (``connection_event``); ``socket(options)`` returns an unconnected client
    socket (``.connect()`` it), ready for the application at ``ready_event``;
    ``secure(a, b, options)`` turns a connected Duplex pair into the layer's
    pair (the identity for plain sockets) and waits until both ends are ready.
    """

    name: str
    create_server: Callable[[Dict[str, Any], Optional[Callable[..., Any]]], Any]
    socket: Callable[[Dict[str, Any]], Any]
    secure: Callable[[Any, Any, Dict[str, Any]], Tuple[Any, Any]]
    ready_event: str
    connection_event: str


def _plain_server(options: Dict[str, Any], listener: Optional[Callable[..., Any]]) -> Any:
    return create_server(options, listener) if listener else create_server(options)


PLAIN = SocketLayer('net', _plain_server, Socket, lambda a, b, options: (a, b), 'connect', 'connection')

_pki_lock = threading.Lock()
_pki: Dict[str, TestPKI] = {}


def default_pki() -> TestPKI:
    """A test PKI made on first use (with the ``openssl`` command) and kept for the process."""
    with _pki_lock:
        if 'pki' not in _pki:
            directory = tempfile.mkdtemp(prefix='gnet-pki-')
            atexit.register(shutil.rmtree, directory, True)
            _pki['pki'] = make_pki(directory)
        return _pki['pki']


def tls_layer(pki: Optional[TestPKI] = None) -> SocketLayer:
    """TLS with ``pki``'s leaf on the server and its root trusted by the client (which
    names ``localhost``): ``gnet.tls`` servers, ``tls.connect`` sockets and
    ``TLSSocket`` over any connected pair."""
    from .. import tls  # the tls package sits above net; only this layer needs it

    authority = pki or default_pki()
    server_options = {'key': authority.leaf.key, 'cert': authority.leaf.chain}
    client_options = {'ca': authority.root.cert, 'servername': 'localhost'}

    def server(options: Dict[str, Any], listener: Optional[Callable[..., Any]]) -> Any:
        return tls.create_server(dict(server_options, **options), listener)

    def client(options: Dict[str, Any]) -> Any:
        return tls.TLSSocket(None, dict(client_options, **options))

    def secure(a: Any, b: Any, options: Dict[str, Any]) -> Tuple[Any, Any]:
        accepted = tls.TLSSocket(b, dict(server_options, is_server=True, **options))
        connected = tls.connect(dict(client_options, socket=a, **options))
        waits = [_Ready(accepted, 'secure'), _Ready(connected, 'secureConnect')]
        for wait in waits:
            wait.wait()
        return connected, accepted

    return SocketLayer('tls', server, client, secure, 'secureConnect', 'secureConnection')


class _Ready:
    """Listens for ``event`` at once, so an event emitted before :meth:`wait` counts."""

    def __init__(self, emitter: Any, event: str):
        self.emitter, self.event, self.seen = emitter, event, False
        emitter.once(event, self._seen)

    def _seen(self, *args: Any) -> None:
        self.seen = True

    def wait(self) -> None:
        if not self.seen:
            once(self.emitter, self.event, timeout=WAIT)
