"""``gnet connect TARGET``: netcat on gnet -- stdin to the socket, socket to stdout.

Owns: the connect subcommand and the cooperative standard-stream plumbing
(:class:`StdStream`).  Must not import: the other subcommand modules.

Bytes pass through unchanged in both directions.  At the end of stdin the
socket is half-closed (``end()``, a FIN) and the reply keeps flowing to
stdout; when the peer ends, our side ends too and the command exits.  The
socket is ``allow_half_open`` so that a peer's FIN does not cut our writes
short before ``end()`` flushed them.

stdin and stdout are read and written cooperatively (gevent waits for the
descriptor instead of blocking the hub), so the socket keeps being served
while stdin is idle and a slow stdout pauses the socket (backpressure up to
the peer).  A regular file or ``/dev/null`` cannot be polled and is read or
written directly; it never blocks for long.

With ``--tls`` it is a small ``openssl s_client``: the socket is a
:class:`gnet.tls.TLSSocket`, stdin is copied once it is secure
(``'secureConnect'``), and a certificate that does not verify ends it with
exit status 1 and Node's code (``gnet connect: DEPTH_ZERO_SELF_SIGNED_CERT
self-signed certificate``).  The end of stdin is a close_notify, then a FIN.
"""

import argparse
import errno
import fcntl
import logging
import os
import stat
from typing import Any, Callable, Dict, List, Optional

import gnet
from gnet import tls

from . import tls_options
from .common import CommandFailed, Endpoint, grace_argument, on_stop_signals, target_endpoint

__all__ = ['add_parser', 'run_connect', 'StdStream']

log: logging.Logger = logging.getLogger('gnet.cli')

#: bytes read from stdin at a time
READ_SIZE = 65536


class StdStream:
    """A standard descriptor used cooperatively; restores its flags on close."""

    def __init__(self, fd: int):
        self.fd = fd
        mode = os.fstat(fd).st_mode
        self.pollable: bool = stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(fd)
        self._flags: Optional[int] = None  # the flags to restore, if we changed them
        if self.pollable:
            from gevent.os import make_nonblocking
            flags = fcntl.fcntl(fd, fcntl.F_GETFL)
            if make_nonblocking(fd):
                self._flags = flags

    def read(self, size: int = READ_SIZE) -> bytes:
        """Up to ``size`` bytes; ``b''`` at end of file.  Blocks this greenlet only."""
        if self.pollable:
            from gevent.os import nb_read
            return nb_read(self.fd, size)
        return os.read(self.fd, size)

    def write_all(self, data: bytes) -> None:
        """Write every byte of ``data``; blocks this greenlet only."""
        from gevent.os import nb_write
        view = memoryview(data)
        write: Callable[[int, memoryview], int] = nb_write if self.pollable else os.write
        while view:
            view = view[write(self.fd, view):]

    def close(self) -> None:
        """Give the descriptor back its original flags (a shared tty stays usable)."""
        if self._flags is not None:
            try:
                fcntl.fcntl(self.fd, fcntl.F_SETFL, self._flags)
            except OSError:
                pass
            self._flags = None


class Netcat:
    """One connection between the standard streams and a socket."""

    def __init__(self, stdin: StdStream, stdout: StdStream, grace_ms: int,
                 secure: Optional[Dict[str, Any]] = None):
        self.stdin = stdin
        self.stdout = stdout
        self.grace_ms = grace_ms
        self.tls: bool = secure is not None
        self.sock: gnet.Socket
        if secure is None:
            self.sock = gnet.Socket({'allow_half_open': True})
        else:
            self.sock = tls.TLSSocket(None, dict(secure, allow_half_open=True))
        self.failures: List[BaseException] = []
        self.pump: Any = None  # the greenlet copying stdin to the socket

    def run(self, target: Endpoint) -> None:
        sock = self.sock
        sock.on('error', self.failures.append)
        sock.on('secureConnect' if self.tls else 'connect', self._on_connect)
        sock.on('data', self._on_data)
        sock.on('end', self._on_end)
        sock.connect(target)
        cancel = on_stop_signals(self._stop, sock.destroy)
        try:
            gnet.run()
        finally:
            cancel()
            if self.pump is not None:
                self.pump.kill()

    def _on_connect(self) -> None:
        import gevent
        sock = self.sock
        log.info('connected to %s:%s', sock.remote_address, sock.remote_port)
        if isinstance(sock, tls.TLSSocket):
            log.info('%s, certificate %s', tls_options.tls_summary(sock),
                     'verified' if sock.authorized else
                     'NOT verified (%s)' % sock.authorization_error)
        self.pump = gevent.spawn(self._copy_stdin)

    def _on_data(self, data: bytes) -> None:
        # in the socket's greenlet: while stdout is full the socket stops
        # reading, and TCP pushes back on the peer
        try:
            self.stdout.write_all(data)
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                self.failures.append(CommandFailed('stdout: %s' % os.strerror(exc.errno or 0)))
            self.sock.destroy()

    def _on_end(self) -> None:
        log.info('the peer ended the connection')
        self.sock.end()

    def _stop(self) -> None:
        """First SIGINT/SIGTERM: end our side; destroy if the peer lingers."""
        self.sock.end()
        gnet.set_timeout(self.sock.destroy, self.grace_ms).unref()

    def _copy_stdin(self) -> None:
        from gevent.event import Event
        sock = self.sock
        ready = Event()
        sock.on('drain', ready.set)
        sock.on('close', lambda *_: ready.set())
        while True:
            try:
                data = self.stdin.read()
            except OSError as exc:
                self.failures.append(CommandFailed('stdin: %s' % os.strerror(exc.errno or 0)))
                sock.destroy()
                return
            if sock.destroyed or not sock.writable:
                return
            if not data:
                log.info('end of stdin: half-closing')
                sock.end()
                return
            ready.clear()
            if not sock.write(data):
                ready.wait()  # backpressure: read no more stdin until 'drain'


def run_connect(args: argparse.Namespace) -> int:
    secure = tls_options.connect_options(args)
    stdin, stdout = StdStream(0), StdStream(1)
    try:
        netcat = Netcat(stdin, stdout, args.grace, secure)
        netcat.run(args.target)
    finally:
        stdin.close()
        stdout.close()
    if netcat.failures:
        raise CommandFailed(tls_options.error_line(netcat.failures[0]))
    return 0


def add_parser(sub: Any, common: List[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        'connect', parents=common, help='netcat: stdin to a socket, the socket to stdout',
        description='Connect to TARGET (PORT, HOST:PORT, [IPV6]:PORT, or a Unix socket path '
                    "containing '/'), copy stdin to the socket and the socket to stdout, "
                    'byte for byte. At the end of stdin the socket is half-closed (FIN) and '
                    'the reply is still copied; the command exits when the peer ends. Exit '
                    "status 1 with Node's error code on a connection error, e.g. "
                    "'gnet connect: connect ECONNREFUSED 127.0.0.1:9'. With --tls it is a "
                    'small openssl s_client (see TLS below).')
    parser.add_argument('target', metavar='TARGET', type=target_endpoint,
                        help='where to connect (a bare PORT means localhost)')
    grace_argument(parser)
    tls_options.add_connect_arguments(parser)
    parser.set_defaults(func=run_connect, parser=parser)
