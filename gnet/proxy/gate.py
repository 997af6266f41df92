"""PROXY protocol on accepted connections: read the header, then report the client.

Owns: reading a PROXY header (v1 or v2, :mod:`gnet.proxy.protocol`) off a
freshly accepted :class:`~gnet.net.socket.Socket` before the socket reads
anything, overriding its ``remote_address``/``remote_port``/``remote_family``
with the original client's, and closing connections whose header is
missing, malformed or late, or whose original client the server's
``block_list`` blocks (the reason is logged on ``gnet.proxy_protocol``).
Must not import: the server module (the server calls :func:`read_header`
from its ``_emit_connection`` when ``create_server(proxy_protocol=True)``).

How it reads.  It runs in the connection's own greenlet, from the server's
``on_open`` step, before ``'connection'`` and before the socket's reader
starts.  It peeks at what the kernel holds (``MSG_PEEK``), lets the parser
say exactly how many of those bytes are header, and consumes only those: no
byte after the header is ever taken from the kernel, so nothing has to be
pushed back, the first ``'data'`` is the first byte after the header, and
``pause_on_connect``/``onread`` behave as without the PROXY protocol.  A
partial header is consumed as it comes (all of it is header), so a slow
proxy never makes the peek spin.

Server integration: ``create_server(proxy_protocol=True,
proxy_protocol_timeout=ms)``; the server calls :func:`read_header` from
``_emit_connection``.
"""

import errno
import logging
import weakref
from typing import Any, Dict, MutableMapping, Optional

import gevent
from gevent.event import Event

from ..net.socket import Socket
from .protocol import V2_MAX_LENGTH, ProxyHeader, ProxyProtocolError, parse

__all__ = ['read_header', 'header_of', 'DEFAULT_TIMEOUT_MS', 'SERVER_BLOCK_LIST']

log: logging.Logger = logging.getLogger('gnet.proxy_protocol')

#: how long an accepted connection may take to send its PROXY header
DEFAULT_TIMEOUT_MS = 5000
#: largest peek: a whole v2 header (16 + 65535 bytes)
PEEK_MAX = V2_MAX_LENGTH

#: ``read_header``'s default ``block_list``: the one of the server that accepted the socket
SERVER_BLOCK_LIST: Any = object()

_headers: 'MutableMapping[Socket, ProxyHeader]' = weakref.WeakKeyDictionary()


class _HeaderTimeout(Exception):
    """Raised into the reading greenlet when the header is late."""


def header_of(sock: Socket) -> Optional[ProxyHeader]:
    """The PROXY header a connection arrived with (None for a plain connection)."""
    return _headers.get(sock)


def read_header(conn: Socket, timeout_ms: float = DEFAULT_TIMEOUT_MS,
                max_v2_length: int = V2_MAX_LENGTH,
                block_list: Any = SERVER_BLOCK_LIST) -> Optional[ProxyHeader]:
    """Read the PROXY header of ``conn``; the header, or None after closing ``conn``.

    Call it in the connection's greenlet before anything reads from the
    socket (the server's ``on_open`` step).  On success a ``PROXY``
    command's source becomes the socket's remote address; ``LOCAL`` and
    ``UNKNOWN`` headers leave the real peer in place.  On failure the
    socket is destroyed (no ``'error'``: the client never was a valid
    connection) and the reason is logged at WARNING.

    ``block_list`` (by default the accepting server's ``block_list``; None
    for no check) is asked about the header's source address with the
    header's family: a blocked client is a failure too, exactly as a
    blocked direct peer is closed at accept.  Headers without a client
    (``LOCAL``, ``UNKNOWN``, AF_UNIX) are not checked: the direct peer, the
    proxy, was checked at accept.
    """
    handle = conn._handle
    if handle is None or handle.closed or conn.destroyed:
        return None
    peer = _describe(conn)
    closed = Event()

    def on_close(*_: Any) -> None:
        closed.set()
    conn.once('close', on_close)
    timer = gevent.Timeout(max(timeout_ms, 1) / 1000.0, _HeaderTimeout)
    timer.start()
    try:
        header = _read(handle, closed, max_v2_length)
    except _HeaderTimeout:
        reason: Optional[str] = 'no complete PROXY header within %d ms' % timeout_ms
        header = None
    except ProxyProtocolError as err:
        reason, header = err.reason, None
    except OSError as exc:
        reason, header = 'read failed: %s' % (exc.strerror or exc), None
    else:
        reason = None if header is not None else 'connection closed before a complete PROXY header'
    finally:
        timer.close()
        conn.remove_listener('close', on_close)
        if not handle.closed:
            handle.read_watcher.stop()
    if header is None:  # malformed, late, EOF, or the socket was destroyed meanwhile
        _refuse(conn, peer, reason or 'no PROXY header')
        return None
    remote = header.remote
    if remote is not None and _blocked(remote, _block_list_of(conn, block_list)):
        _refuse(conn, peer, 'PROXY client %s:%s is blocked by block_list'
                % (remote['address'], remote['port']))
        return None
    if remote is not None:
        conn._peer = remote
    _headers[conn] = header
    return header


def _block_list_of(conn: Socket, block_list: Any) -> Any:
    """The list to check: the one given, or the accepting server's."""
    if block_list is SERVER_BLOCK_LIST:
        return getattr(conn._server, 'block_list', None)
    return block_list


def _blocked(remote: Dict[str, Any], block_list: Any) -> bool:
    """True iff ``block_list`` blocks the header's source ('IPv4'/'IPv6' -> 'ipv4'/'ipv6')."""
    if block_list is None:
        return False
    return bool(block_list.check(remote['address'], str(remote['family']).lower()))


def _read(handle: Any, closed: Event, max_v2_length: int) -> Optional[ProxyHeader]:
    """Peek, parse, consume exactly the header bytes; None at EOF or close."""
    buffered = b''
    while True:
        if handle.closed:
            return None
        peek = handle.try_peek(PEEK_MAX)
        if peek is None:
            _wait_readable(handle, closed)
            continue
        if not peek:
            return None
        result = parse(buffered + peek, max_v2_length)
        if result is None:  # all of it is header: take it, wait for the rest
            buffered += _consume(handle, len(peek))
            continue
        header, total = result
        _consume(handle, total - len(buffered))
        return header


def _consume(handle: Any, count: int) -> bytes:
    """Take ``count`` bytes the peek showed are there."""
    data = b''
    while len(data) < count:
        chunk = handle.try_read(count - len(data))
        if not chunk:
            raise OSError(errno.EIO, 'peeked bytes vanished')
        data += chunk
    return data


def _wait_readable(handle: Any, closed: Event) -> None:
    """Block this greenlet until the socket is readable or ``conn`` closed."""
    if closed.is_set() or handle.closed:
        return
    ready = Event()

    def wake(*_: Any) -> None:
        ready.set()
    closed.rawlink(wake)
    handle.read_watcher.start(wake)
    try:
        ready.wait()
    finally:
        closed.unlink(wake)
        if not handle.closed:
            handle.read_watcher.stop()


def _refuse(conn: Socket, peer: str, reason: str) -> None:
    if not conn.destroyed:
        log.warning('closing connection from %s: %s', peer, reason)
        conn.destroy()


def _describe(conn: Socket) -> str:
    try:
        address, port = conn.remote_address, conn.remote_port
    except Exception:  # noqa: BLE001 - only for the log line
        return 'unknown peer'
    if address is None:
        return 'a local socket'
    return '%s:%s' % (address, port)
