"""Helpers shared by the socket and server tests: transports and servers.

A *transport* is ``'tcp4'``, ``'tcp6'`` or ``'ipc'``; :func:`listen_args`
gives what to pass to ``server.listen`` and :func:`connect_options` turns the
listening address back into ``connect`` options.
"""

import contextlib
import os
import resource
import socket
import tempfile

import pytest

from gnet.testing import socket_checks
from gnet.testing.socket_checks import SocketTransport, connect_options  # noqa: F401 - shared

WAIT = 5.0
TRANSPORTS = ['tcp4', 'tcp6', 'ipc']


def ipv6_available():
    """True if the IPv6 loopback (``::1``) can be bound here."""
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(('::1', 0))
        return True
    except OSError:
        return False


def require(transport):
    if transport == 'tcp6' and not ipv6_available():
        pytest.skip('IPv6 loopback (::1) cannot be bound on this machine')


def listen_args(transport, directory=None):
    require(transport)
    if transport == 'tcp4':
        return (0, '127.0.0.1')
    if transport == 'tcp6':
        return (0, '::1')
    directory = directory or tempfile.mkdtemp(prefix='gnet-')
    return (os.path.join(str(directory), 'sock'),)


@contextlib.contextmanager
def serving(transport, on_connection=None, directory=None, **options):
    """A listening server (closed, with every connection destroyed, on exit)."""
    @contextlib.contextmanager
    def listen():
        yield listen_args(transport, directory)
    listening = SocketTransport(transport, listen, transport != 'ipc')
    with socket_checks.serving(listening, on_connection, **options) as server:
        yield server


def echo(conn):
    conn.pipe(conn)


def collect(sock):
    """Gather a socket's data; returns (chunks list, ended Event)."""
    from gevent.event import Event
    chunks, ended = [], Event()
    sock.on('data', chunks.append)
    sock.on('end', ended.set)
    sock.on('close', lambda *a: ended.set())
    return chunks, ended


def wait_close(sock, timeout=WAIT):
    """Block until ``'close'`` (errors are not raised); returns had_error."""
    from gevent.event import AsyncResult
    if sock._writable_state.close_emitted:
        return None
    result = AsyncResult()
    sock.on('close', lambda had_error=None: result.set(had_error))
    return result.get(timeout=timeout)


def errors_until_close(sock, timeout=WAIT):
    """The ``'error'`` events a socket emits before its ``'close'``."""
    got = []
    sock.on('error', got.append)
    wait_close(sock, timeout)
    return got


@contextlib.contextmanager
def out_of_descriptors(headroom=4):
    """Every descriptor taken while inside: the soft RLIMIT_NOFILE is lowered to just
    above the highest open descriptor and the rest is filled with ``/dev/null``, so the
    next ``socket()`` fails with a real EMFILE; both are undone on exit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    highest = max(int(fd) for fd in os.listdir('/proc/self/fd'))
    filler = []
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, highest + 1 + headroom), hard))
    try:
        while True:
            try:
                filler.append(os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC))
            except OSError:
                break
        yield
    finally:
        for fd in filler:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@contextlib.contextmanager
def tls_servers(credential, directory=None):
    """``start(transport, listener=None, **options)`` -> a listening ``gnet.tls`` server
    with ``credential``'s key and chain unless the options say otherwise; on exit every
    one is closed and its connections destroyed."""
    import gnet
    import gnet.tls as tls
    servers = []

    def start(transport, listener=None, **options):
        options.setdefault('key', credential.key)
        options.setdefault('cert', credential.chain)
        server = tls.create_server(options, listener)
        servers.append(server)
        server.listen(*listen_args(transport, directory))
        gnet.once(server, 'listening', timeout=WAIT)
        return server
    try:
        yield start
    finally:
        for server in servers:
            for conn in list(server._connections):
                conn.destroy()
            server.close()
