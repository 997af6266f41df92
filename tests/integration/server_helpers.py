"""Helpers for the net.Server tests: transports, tracked servers and raw clients.

A *transport* is ``'tcp4'``, ``'tcp6'`` or ``'ipc'``.  :class:`Harness` makes
servers and clients and tears every one of them down at the end of a test
(servers closed and their ``'close'`` awaited, sockets destroyed), so the
leak check of ``tests/conftest.py`` holds even when an assertion fails
half-way.  Clients are either gnet sockets or raw ``gevent.socket`` objects
(for behaviour a gnet client would mask: "the server closed my connection").
"""

import errno
import os
import socket as _stdlib_socket

import gevent
import pytest
from gevent import socket as gsocket
from gevent.event import AsyncResult, Event
from net_helpers import ipv6_available

import gnet

#: seconds any single wait may take
WAIT = 5.0
TRANSPORTS = ['tcp4', 'tcp6', 'ipc']


IPV6 = ipv6_available()
needs_ipv6 = pytest.mark.skipif(not IPV6, reason='IPv6 loopback (::1) cannot be bound here')


def listen_options(transport, directory, name='server.sock'):
    """``listen`` options for a fresh loopback address (or socket path) of ``transport``."""
    if transport == 'tcp6' and not IPV6:
        pytest.skip('IPv6 loopback (::1) cannot be bound on this machine')
    if transport == 'tcp4':
        return {'port': 0, 'host': '127.0.0.1'}
    if transport == 'tcp6':
        return {'port': 0, 'host': '::1'}
    return {'path': os.path.join(str(directory), name)}


def target_of(server):
    """Where a client reaches ``server``: ``(host, port)`` or a path."""
    address = server.address()
    if isinstance(address, str):
        return address
    host = address['address']
    if host in ('::', '0.0.0.0'):
        host = '::1' if address['family'] == 'IPv6' and IPV6 else '127.0.0.1'
    return host, address['port']


def connect_options(server):
    target = target_of(server)
    if isinstance(target, str):
        return {'path': target}
    return {'host': target[0], 'port': target[1]}


def wait_for(event_or_result, what, timeout=WAIT):
    """``Event.wait``/``AsyncResult.get`` bounded by ``timeout``, failing with ``what``."""
    if isinstance(event_or_result, AsyncResult):
        try:
            return event_or_result.get(timeout=timeout)
        except gevent.Timeout:
            pytest.fail('timed out waiting for %s' % what)
    assert event_or_result.wait(timeout), 'timed out waiting for %s' % what
    return None


def closed_event(emitter):
    """An Event set at the emitter's ``'close'``."""
    done = Event()
    emitter.on('close', lambda *_: done.set())
    return done


def raw_connect(target, timeout=WAIT):
    """A connected raw gevent socket (``target`` from :func:`target_of`)."""
    if isinstance(target, str):
        sock = gsocket.socket(_stdlib_socket.AF_UNIX, _stdlib_socket.SOCK_STREAM)
    else:
        family = _stdlib_socket.AF_INET6 if ':' in target[0] else _stdlib_socket.AF_INET
        sock = gsocket.socket(family, _stdlib_socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(target)
    except BaseException:
        sock.close()
        raise
    return sock


def read_until_closed(sock, timeout=WAIT):
    """Everything a raw socket receives until EOF or reset; ``(data, how)``.

    ``how`` is ``'eof'``, ``'reset'`` or ``'timeout'``.
    """
    sock.settimeout(timeout)
    chunks = []
    while True:
        try:
            data = sock.recv(4096)
        except _stdlib_socket.timeout:
            return b''.join(chunks), 'timeout'
        except OSError as exc:
            if exc.errno in (errno.ECONNRESET, errno.EPIPE):
                return b''.join(chunks), 'reset'
            raise
        if not data:
            return b''.join(chunks), 'eof'
        chunks.append(data)


def recv_exactly(sock, size, timeout=WAIT):
    sock.settimeout(timeout)
    data = b''
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


class Harness:
    """Servers and clients of one test, all torn down by :meth:`cleanup`."""

    def __init__(self, transport, directory):
        self.transport = transport
        self.directory = directory
        self.servers = []
        self.sockets = []      # gnet sockets: clients and accepted connections
        self.raw = []          # raw gevent sockets
        self.unexpected = []   # calls of listeners made by never()
        self._names = 0

    # -- servers -------------------------------------------------------------------
    def server(self, *args, **options):
        server = gnet.create_server(*args, **options)
        server.on('connection', self.track)
        self.servers.append(server)
        return server

    def options(self):
        self._names += 1
        return listen_options(self.transport, self.directory, 'server-%d.sock' % self._names)

    def listen(self, server, options=None):
        """Listen on a fresh address of the transport and wait for ``'listening'``."""
        server.listen(options if options is not None else self.options())
        gnet.once(server, 'listening', timeout=WAIT)
        return server

    def serving(self, *args, **options):
        return self.listen(self.server(*args, **options))

    def never(self, what):
        """A listener for something that must not happen; :meth:`cleanup` checks it.

        (Raising ``pytest.fail`` inside a listener would unwind a loop
        greenlet, not the test.)
        """
        return lambda *args: self.unexpected.append((what, args))

    # -- clients ---------------------------------------------------------------------
    def track(self, sock):
        self.sockets.append(sock)
        return sock

    def client(self, server, **options):
        """A gnet client, connected (``'connect'`` awaited)."""
        sock = self.track(gnet.connect({**connect_options(server), **options}))
        gnet.once(sock, 'connect', timeout=WAIT)
        return sock

    def raw_client(self, server_or_target):
        target = server_or_target
        if isinstance(server_or_target, gnet.Server):
            target = target_of(server_or_target)
        sock = raw_connect(target)
        self.raw.append(sock)
        return sock

    def accept_one(self, server):
        """A client and the server's side of it: ``(client, conn)``."""
        got = AsyncResult()
        server.once('connection', got.set)
        client = self.client(server)
        return client, wait_for(got, "'connection'")

    # -- teardown --------------------------------------------------------------------
    def cleanup(self):
        for sock in self.raw:
            sock.close()
        waits = []
        for sock in self.sockets:
            if not sock._writable_state.close_emitted:
                waits.append(closed_event(sock))
                sock.on('error', lambda *_: None)
                sock.destroy()
        for server in self.servers:
            server.on('error', lambda *_: None)
            if server.listening or server._connections or server._lookup_pending:
                waits.append(closed_event(server))
                server.close()
        for done in waits:
            done.wait(WAIT)
        assert not self.unexpected, 'unexpected events: %r' % (self.unexpected,)


def make_harness(request, tmp_path, transport):
    harness = Harness(transport, tmp_path)
    request.addfinalizer(harness.cleanup)
    return harness
