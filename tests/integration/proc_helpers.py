"""Helpers for tests that run gnet programs as subprocesses.

:class:`Proc` starts a program in its own session, collects its stdout and
stderr line by line in reader threads, lets a test wait for a line (never a
fixed sleep), and always kills the whole process group on exit.
:class:`Backend` is a plain-socket TCP/Unix server in threads that checks
half-close: it sends a payload, reads until the peer's FIN, and only then
sends a trailer naming what it received before its own FIN.
"""

import hashlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: seconds to wait for one expected line or exit
WAIT = 20


def env(**extra):
    """The environment for a subprocess: gnet importable from this checkout."""
    out = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED='1')
    out.pop('PYTHONWARNINGS', None)
    out.update(extra)
    return out


def gnet_cmd(*args):
    return [sys.executable, '-m', 'gnet'] + [str(arg) for arg in args]


def example_cmd(name, *args):
    return [sys.executable, str(REPO / 'examples' / name)] + [str(arg) for arg in args]


class Proc:
    """A subprocess with line-collecting readers; a context manager that kills it."""

    def __init__(self, args, stdin=subprocess.DEVNULL, cwd=None, environ=None):
        self.args = args
        self.popen = subprocess.Popen(args, stdin=stdin, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, cwd=cwd,
                                      env=environ or env(), start_new_session=True)
        self.stdout = []             # every stdout line
        self.stderr = []             # every stderr line
        # lines not yet consumed by wait_line, per stream
        self._unread = {'stdout': queue.Queue(), 'stderr': queue.Queue()}
        self._readers = [
            threading.Thread(target=self._read, args=(self.popen.stdout, self.stdout,
                                                      self._unread['stdout'])),
            threading.Thread(target=self._read, args=(self.popen.stderr, self.stderr,
                                                      self._unread['stderr'])),
        ]
        for reader in self._readers:
            reader.daemon = True
            reader.start()

    @staticmethod
    def _read(pipe, into, unread):
        for raw in iter(pipe.readline, b''):
            line = raw.decode('utf8', 'replace').rstrip('\n')
            into.append(line)
            unread.put(line)
        unread.put(None)  # EOF

    def wait_line(self, pattern, timeout=WAIT, stream='stdout'):
        """The first unread line of ``stream`` matching ``pattern`` (a regex), as a match."""
        regex = re.compile(pattern)
        lines = self._unread[stream]
        while True:
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError('no line matching %r within %ss\n%s'
                                     % (pattern, timeout, self.report())) from None
            if line is None:
                lines.put(None)
                raise AssertionError('%s closed before a line matching %r\n%s'
                                     % (stream, pattern, self.report()))
            found = regex.search(line)
            if found:
                return found

    def wait_listening(self, timeout=WAIT):
        """``listening on <address>``: returns the address text."""
        return self.wait_line(r'^listening on (\S+)$', timeout).group(1)

    def tcp_port(self, timeout=WAIT):
        return int(self.wait_listening(timeout).rsplit(':', 1)[1].rstrip('/'))

    def signal(self, signum=signal.SIGINT):
        self.popen.send_signal(signum)

    def wait(self, timeout=WAIT):
        """The exit status; the readers have seen EOF when this returns."""
        try:
            code = self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError('%s still running after %ss\n%s'
                                 % (self.args, timeout, self.report())) from None
        for reader in self._readers:
            reader.join(timeout)
        return code

    def report(self):
        return 'stdout:\n  %s\nstderr:\n  %s' % ('\n  '.join(self.stdout),
                                                 '\n  '.join(self.stderr))

    def close(self):
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except OSError:
                pass
            self.popen.wait(WAIT)
        for reader in self._readers:
            reader.join(WAIT)
        for pipe in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
            if pipe is not None:
                pipe.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def digest(data):
    return hashlib.sha256(data).hexdigest()


class Backend:
    """A threaded server checking half-close: see the module docstring.

    For each connection it sends ``payload`` while reading until EOF, then
    sends ``b'got <n> <sha256>\\n'`` and shuts down its write side.
    ``address`` is ``('127.0.0.1', port)`` or a path; ``received`` lists
    ``(n, sha256)`` per finished connection.
    """

    def __init__(self, payload=b'', path=None):
        self.payload = payload
        if path is None:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.bind(('127.0.0.1', 0))
        else:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.bind(str(path))
        self.sock.listen(16)
        self.address = self.sock.getsockname()
        self.received = []
        self.accepted = threading.Event()  # set when a connection has been accepted
        self.got_data = threading.Event()  # set when a connection has sent some bytes
        self.done = threading.Event()      # set when a connection has finished
        self._threads = []
        self._conns = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    @property
    def target(self):
        """The address as ``gnet proxy``/``gnet connect`` take it."""
        if isinstance(self.address, str):
            return self.address
        return '%s:%s' % self.address

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self._conns.append(conn)
            self.accepted.set()
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn):
        sender = threading.Thread(target=self._send, args=(conn,), daemon=True)
        sender.start()
        hasher, count = hashlib.sha256(), 0
        try:
            while True:
                data = conn.recv(1 << 16)
                if not data:
                    break
                hasher.update(data)
                count += len(data)
                self.got_data.set()
            sender.join(WAIT)
            conn.sendall(b'got %d %s\n' % (count, hasher.hexdigest().encode()))
            conn.shutdown(socket.SHUT_WR)
            self.received.append((count, hasher.hexdigest()))
        except OSError:
            pass
        finally:
            self.done.set()

    def _send(self, conn):
        try:
            conn.sendall(self.payload)
        except OSError:
            pass

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self._accepter.join(WAIT)
        for conn in self._conns:
            conn.close()
        for thread in self._threads:
            thread.join(WAIT)
        if isinstance(self.address, str) and os.path.exists(self.address):
            os.unlink(self.address)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def exchange(address, payload, timeout=WAIT):
    """Connect, send ``payload`` and FIN while reading; return everything received.

    ``address`` is ``(host, port)`` or a Unix path.
    """
    family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(address)
        errors = []

        def send():
            try:
                sock.sendall(payload)
                sock.shutdown(socket.SHUT_WR)
            except OSError as exc:
                errors.append(exc)
        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        chunks = []
        while True:
            data = sock.recv(1 << 16)
            if not data:
                break
            chunks.append(data)
        sender.join(timeout)
        if errors:
            raise errors[0]
        return b''.join(chunks)


def closed_port():
    """A loopback port that refuses connections: bound, never listening.

    Returns ``(socket, port)``; close the socket when done.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    return sock, sock.getsockname()[1]
