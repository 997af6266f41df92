"""Helpers for the fault tests: memory and descriptor figures, raw peers.

RSS figures come from ``/proc/self/status`` (``VmRSS``, ``VmHWM``).  Raw
peers are plain ``_socket`` objects driven cooperatively through gevent's
socket wrapper, so a test can misbehave in ways gnet never would (reset
with SO_LINGER 0, never read, vanish).
"""

import ctypes
import gc
import os
import resource
import struct
import time

import gevent
from gevent import socket as gsocket

#: the full-size variants (marked ``long``) run only with GNET_LONG=1
LONG = os.environ.get('GNET_LONG') == '1'

#: SO_LINGER {on, 0 s}: close() sends RST instead of FIN
LINGER_RESET = struct.pack('ii', 1, 0)


def status_kib(field, pid='self'):
    """A ``/proc/<pid>/status`` figure in KiB (``VmRSS``, ``VmHWM``...)."""
    with open('/proc/%s/status' % pid) as status:
        for line in status:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise KeyError(field)


def rss_mib(pid='self'):
    return status_kib('VmRSS', pid) / 1024.0


def trim_memory():
    """Collect garbage and hand freed heap back to the OS (glibc ``malloc_trim``).

    Without the trim, RSS measures glibc's free lists, not what gnet holds.
    """
    gc.collect()
    try:
        ctypes.CDLL('libc.so.6').malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: RSS is then a little noisier
        pass


def fd_count():
    return len(os.listdir('/proc/self/fd'))


def raise_nofile(wanted):
    """Raise the soft RLIMIT_NOFILE towards ``wanted`` (up to the hard limit).

    Returns ``(previous soft limit, new soft limit)``; restore with
    :func:`restore_nofile`.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return soft, target
    return soft, soft


def restore_nofile(soft):
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def raw_connect(address, timeout=5.0):
    """A cooperative plain socket connected to a gnet server's address()."""
    if isinstance(address, str):
        sock = gsocket.socket(gsocket.AF_UNIX, gsocket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    family = gsocket.AF_INET6 if address['family'] == 'IPv6' else gsocket.AF_INET
    sock = gsocket.socket(family, gsocket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect((address['address'], address['port']))
    return sock


def reset_close(sock):
    """Close a raw TCP socket with RST (the peer sees ECONNRESET)."""
    sock.setsockopt(gsocket.SOL_SOCKET, gsocket.SO_LINGER, LINGER_RESET)
    sock.close()


def wait_until(predicate, timeout=5.0, step=0.005):
    """Poll ``predicate`` cooperatively; True once it holds, False at the deadline.

    For conditions with no event to wait on (a peer process's byte counter,
    a descriptor count); events are always waited on directly.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        gevent.sleep(step)
    return bool(predicate())
