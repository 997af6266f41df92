"""Subprocess plumbing for the scaling tests: a primary whose events we read, raw clients.

Every process started here is in a session of its own and is killed (the
whole group) when the test leaves the ``with`` block, whatever happened.
Clients are plain blocking sockets with timeouts, on loopback only.
"""

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
WAIT = 10.0


def child_env():
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([ROOT, HERE] + [p for p in sys.path if p])
    return env


class Process:
    """A helper script run with this Python; ``events()`` reads its JSON lines."""

    def __init__(self, script, *args):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, script)] + [str(a) for a in args],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=child_env(), cwd=HERE,
            start_new_session=True)
        self._buf = b''
        self.seen = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=WAIT)
        finally:
            self.proc.stdout.close()

    def signal(self, signum):
        os.kill(self.proc.pid, signum)

    def next_event(self, timeout=WAIT):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b'\n' not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError('no event within %.1f s; seen: %s' % (timeout, self.seen))
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise AssertionError('the process ended; seen: %s' % self.seen)
                self._buf += chunk
        line, _, self._buf = self._buf.partition(b'\n')
        event = json.loads(line)
        self.seen.append(event)
        return event

    def wait_for(self, predicate, timeout=WAIT):
        """Events until one matches; returns it (the ones before are in ``seen``)."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next_event(max(0.01, deadline - time.monotonic()))
            if predicate(event):
                return event

    def wait_exit(self, timeout=WAIT):
        return self.proc.wait(timeout=timeout)


def ask(port, line, host='127.0.0.1', timeout=WAIT):
    """One connection, one line; the reply line split as (worker id, pid, text).

    A string ``port`` is a Unix socket path.
    """
    with connect(port, host, timeout) as sock:
        sock.sendall(line + b'\n')
        reply = read_line(sock)
    ident, pid, text = reply.split(b' ', 2)
    return int(ident), int(pid), text


def connect(port, host='127.0.0.1', timeout=WAIT):
    """A blocking client socket to ``host:port``, or to the Unix path ``port``."""
    if not isinstance(port, str):
        return socket.create_connection((host, port), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(port)
    except OSError:
        sock.close()
        raise
    return sock


def read_line(sock):
    data = b''
    while not data.endswith(b'\n'):
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError('connection closed after %r' % data)
        data += chunk
    return data[:-1]


def free_port(host='127.0.0.1'):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
