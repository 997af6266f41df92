"""``gnet proxy LISTEN TARGET``: the classic Node TCP/Unix proxy, for real use.

Owns: the proxy subcommand -- peer filtering (``--allow``/``--deny`` as two
:class:`gnet.BlockList`), ``--max-connections``, ``--idle-timeout``, and one
:class:`Pair` per accepted connection that pipes each side into the other
and logs one line when both sides have closed.
Must not import: the other subcommand modules.

Each side is ``pipe()``d into the other, so backpressure holds both ways: a
slow reader on one side pauses the writer on the other.  Both sockets are
``allow_half_open``: when one side sends FIN, ``pipe()`` ends the other side
once everything before it was written, and the reverse direction keeps
flowing until its own FIN.  An error on either side destroys both.

With TLS (:mod:`gnet.cli.tls_options` turns the flags into options) the
listening side is a :func:`gnet.tls.create_server` and a pair starts at
``'secureConnection'`` (the filters still run at ``'connection'``, before
any handshake); the side towards TARGET is a :class:`gnet.tls.TLSSocket`.
Both are sockets, so the pair pipes them as it pipes plain ones.  A failed
client handshake is the server's ``'tlsClientError'``: logged, never fatal.
"""

import argparse
import logging
import time
from typing import Any, Dict, List, Optional, Set, Tuple

import gnet
from gnet import tls

from . import tls_options
from .common import (
    Endpoint,
    describe,
    endpoint,
    grace_argument,
    is_decimal,
    milliseconds,
    peer_of,
    serve,
    target_endpoint,
)

__all__ = ['add_parser', 'run_proxy', 'Proxy', 'Pair', 'cidr']

log: logging.Logger = logging.getLogger('gnet.proxy')

Rule = Tuple[str, Optional[int], str]  # (address, prefix or None, 'ipv4' | 'ipv6')


def cidr(text: str) -> Rule:
    """An argparse type: ``ADDRESS`` or ``ADDRESS/PREFIX``, IPv4 or IPv6."""
    address, sep, prefix = text.partition('/')
    version = gnet.is_ip(address)
    if not version:
        raise argparse.ArgumentTypeError('invalid CIDR %r (expected an IP address or '
                                         'ADDRESS/PREFIX such as 10.0.0.0/8)' % text)
    bits = 128 if version == 6 else 32
    if sep and (not is_decimal(prefix) or int(prefix) > bits):
        raise argparse.ArgumentTypeError('invalid CIDR %r (prefix must be 0-%d)' % (text, bits))
    return address, int(prefix) if sep else None, 'ipv6' if version == 6 else 'ipv4'


def block_list(rules: Optional[List[Rule]]) -> Optional[gnet.BlockList]:
    """A BlockList matching ``rules``, or None when there are none."""
    if not rules:
        return None
    blocks = gnet.BlockList()
    for address, prefix, family in rules:
        if prefix is None:
            blocks.add_address(address, family)
        else:
            blocks.add_subnet(address, prefix, family)
    return blocks


class Proxy:
    """Accepts on a server, refuses filtered peers, runs one :class:`Pair` each."""

    def __init__(self, target: Endpoint, idle_ms: int = 0,
                 allow: Optional[gnet.BlockList] = None, deny: Optional[gnet.BlockList] = None,
                 send_proxy: Optional[str] = None, tls_upstream: Optional[Dict[str, Any]] = None):
        self.target = target
        self.tls_upstream = tls_upstream  # TLSSocket options for TARGET, or None: plain
        self.idle_ms = idle_ms
        self.send_proxy = send_proxy  # 'v1'/'v2': write a PROXY protocol header upstream
        self.allow = allow   # if set, only peers it matches are served
        self.deny = deny     # peers it matches are refused
        self.pairs: Set['Pair'] = set()

    def refusal(self, client: gnet.Socket) -> Optional[str]:
        """Why ``client`` may not connect, or None."""
        address, family = client.remote_address, client.remote_family
        if address is None:
            return None  # IPC: no address to filter on
        family = 'ipv6' if family == 'IPv6' else 'ipv4'
        if self.deny is not None and self.deny.check(address, family):
            return 'denied'
        if self.allow is not None and not self.allow.check(address, family):
            return 'not allowed'
        return None

    def on_connection(self, client: gnet.Socket) -> None:
        if self.screen(client):
            self.serve(client)

    def screen(self, client: gnet.Socket) -> bool:
        """Destroy ``client`` if the filters refuse it; whether it may go on."""
        reason = self.refusal(client)
        if reason is not None:
            log.info('%s refused: %s', peer_of(client), reason)
            client.destroy()
            return False
        return True

    def serve(self, client: gnet.Socket) -> None:
        """Pipe ``client`` to a new connection to the target (TLS: once it is secure)."""
        if isinstance(client, tls.TLSSocket):
            log.info('%s TLS: %s', peer_of(client), tls_options.tls_summary(client))
        pair = Pair(self, client)
        self.pairs.add(pair)
        pair.start()

    def on_tls_client_error(self, err: BaseException, client: gnet.Socket) -> None:
        """The server's ``'tlsClientError'``: log it; the socket is destroyed, the server serves on.

        The peer's address was read at ``'connection'`` (by :meth:`screen`), and a
        socket keeps the address it read once, as Node's does.
        """
        log.info('%s TLS handshake failed: %s', peer_of(client), tls_options.error_line(err))

    def destroy_all(self) -> None:
        for pair in list(self.pairs):
            pair.destroy()


class Pair:
    """One proxied connection: the accepted client and its upstream socket."""

    __slots__ = ('proxy', 'client', 'upstream', 'peer', 'started', 'error', 'reason', 'open')

    def __init__(self, proxy: Proxy, client: gnet.Socket):
        self.proxy: 'Proxy' = proxy
        self.client: gnet.Socket = client
        self.upstream: gnet.Socket
        if proxy.tls_upstream is None:
            self.upstream = gnet.Socket({'allow_half_open': True})
        else:
            self.upstream = tls.TLSSocket(None, dict(proxy.tls_upstream, allow_half_open=True))
        self.peer: str = peer_of(client)      # kept: the address is gone once destroyed
        self.started: float = time.monotonic()
        self.error: Optional[BaseException] = None  # the first error on either side
        self.reason: Optional[str] = None           # why the proxy cut it short
        self.open: int = 2                              # sides not yet closed

    def start(self) -> None:
        client, upstream = self.client, self.upstream
        for sock in (client, upstream):
            sock.on('error', self._on_error)
            sock.on('close', self._on_close)
        if self.proxy.idle_ms:
            client.set_timeout(self.proxy.idle_ms, self._on_idle)
        upstream.connect(dict(self.proxy.target))
        if self.proxy.send_proxy:  # queued while connecting: it goes out first
            upstream.write(proxy_header(client, self.proxy.send_proxy))
        client.pipe(upstream)
        upstream.pipe(client)

    def destroy(self, reason: Optional[str] = None) -> None:
        if reason is not None and self.reason is None:
            self.reason = reason
        self.client.destroy()
        self.upstream.destroy()

    def _on_error(self, err: BaseException) -> None:
        if self.error is None:
            self.error = err
        self.destroy()

    def _on_idle(self) -> None:
        self.destroy('idle for %d ms' % self.proxy.idle_ms)

    def _on_close(self, *_: Any) -> None:
        self.open -= 1
        if self.open:
            return
        self.proxy.pairs.discard(self)
        outcome = ''
        if self.error is not None:
            outcome = ', error: %s' % tls_options.error_line(self.error)
        elif self.reason is not None:
            outcome = ', closed: %s' % self.reason
        log.info('%s -> %s: %d bytes up, %d bytes down, %.3f s%s', self.peer,
                 describe(self.proxy.target), self.client.bytes_read, self.client.bytes_written,
                 time.monotonic() - self.started, outcome)


def run_proxy(args: argparse.Namespace) -> int:
    listen_at, target = args.listen, args.target
    if 'path' in listen_at and (args.allow or args.deny):
        args.parser.error('--allow/--deny filter IP addresses: LISTEN must be a TCP address')
    server_tls = tls_options.server_options(args)
    proxy = Proxy(target, args.idle_timeout, block_list(args.allow), block_list(args.deny),
                  args.send_proxy, tls_options.upstream_options(args))
    server: gnet.Server
    if server_tls is None:
        server = gnet.create_server({'allow_half_open': True}, proxy.on_connection)
    else:
        server = tls.create_server(dict(server_tls, allow_half_open=True), proxy.serve)
        server.on('connection', proxy.screen)
        server.on('tlsClientError', proxy.on_tls_client_error)
    if args.max_connections is not None:
        server.max_connections = args.max_connections
    server.on('drop', lambda info: log.info('%s dropped: over --max-connections %d',
                                            _drop_peer(info), args.max_connections))
    grace = args.grace

    def stop() -> None:
        server.close()
        log.info('stopping: no new connections, %d open get %d ms to finish',
                 len(proxy.pairs), grace)
        if proxy.pairs:
            gnet.set_timeout(proxy.destroy_all, grace).unref()

    def force() -> None:
        server.close()
        proxy.destroy_all()
    serve(server, listen_at, stop, force)
    return 0


def proxy_header(client: gnet.Socket, version: str) -> bytes:
    """The PROXY protocol header telling the target who ``client`` really is.

    A Unix-socket client has no address to tell: v1 sends ``PROXY UNKNOWN``,
    v2 a header without addresses.
    """
    from ..proxy.protocol import encode_v1, encode_v2
    encode = encode_v1 if version == 'v1' else encode_v2
    if client.remote_address is None:
        return encode()
    return encode(client.remote_address, client.remote_port,
                  client.local_address, client.local_port)


def _drop_peer(info: Any) -> str:
    if not info:
        return 'unix'
    return describe({'address': info['remote_address'], 'port': info['remote_port']})


def _positive(text: str) -> int:
    if not is_decimal(text) or int(text) < 1:
        raise argparse.ArgumentTypeError('invalid count %r (expected a whole number >= 1)' % text)
    return int(text)


def add_parser(sub: Any, common: List[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        'proxy', parents=common, help='a TCP/Unix proxy with backpressure and half-close',
        description='Accept on LISTEN and pipe every connection to TARGET, both ways, with '
                    "backpressure; a FIN from either side is forwarded (Node's allowHalfOpen). "
                    'LISTEN and TARGET are PORT, HOST:PORT, [IPV6]:PORT, or a Unix socket '
                    "path (anything containing '/'). Prints 'listening on <address>' when "
                    'ready; with -v, one line per connection (bytes each way, duration) on '
                    'stderr. With --tls-cert/--tls-key it terminates TLS, with --tls-upstream '
                    'it originates it (see TLS below).')
    parser.add_argument('listen', metavar='LISTEN', type=endpoint,
                        help='where to accept connections (a bare PORT listens on every '
                             'address)')
    parser.add_argument('target', metavar='TARGET', type=target_endpoint,
                        help='where to forward them (a bare PORT means localhost)')
    parser.add_argument('--idle-timeout', type=milliseconds, default=0, metavar='MS',
                        help='close a connection idle in both directions for MS milliseconds '
                             '(default 0: never)')
    parser.add_argument('--max-connections', type=_positive, default=None, metavar='N',
                        help='drop connections beyond N open at once')
    parser.add_argument('--allow', type=cidr, action='append', metavar='CIDR',
                        help='serve only peers in CIDR (repeatable; with none, every peer)')
    parser.add_argument('--deny', type=cidr, action='append', metavar='CIDR',
                        help='refuse peers in CIDR (repeatable; checked before --allow)')
    parser.add_argument('--send-proxy', nargs='?', const='v1', choices=('v1', 'v2'),
                        default=None, metavar='v1|v2',
                        help='tell TARGET the real client with a PROXY protocol header '
                             '(default version v1), as HAProxy and nginx do')
    grace_argument(parser)
    tls_options.add_proxy_arguments(parser)
    parser.set_defaults(func=run_proxy, parser=parser)
