"""Helpers for the fault tests: memory and descriptor figures, raw peers.

RSS figures come from ``/proc/self/status`` (``VmRSS``, ``VmHWM``).  Raw
peers are plain ``_socket`` objects driven cooperatively through gevent's
socket wrapper, so a test can misbehave in ways gnet never would (reset
with SO_LINGER 0, never read, vanish).
"""

import ctypes
import gc
import os
import re
import resource
import struct
import sys
import tempfile
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


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        'arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks', 'fsmblks',
        'uordblks', 'fordblks', 'keepcost')]


def malloc_in_use_mib():
    """Bytes glibc's malloc has handed out and not had back (``mallinfo2``:
    ``uordblks`` plus mmap'd blocks), in MiB; None where that is unknown."""
    try:
        info = ctypes.CDLL('libc.so.6').mallinfo2
    except (OSError, AttributeError):  # not glibc, or glibc < 2.33
        return None
    info.restype = _MallInfo2
    m = info()
    return (m.uordblks + m.hblkhd) / 2 ** 20


def pymalloc_arenas():
    """Arenas (of ``ARENA_SIZE`` bytes, mmap'd) pymalloc holds now, read
    from ``sys._debugmallocstats()``; None where CPython does not say."""
    if not hasattr(sys, '_debugmallocstats'):
        return None
    with tempfile.TemporaryFile() as out:
        saved = os.dup(2)
        try:
            os.dup2(out.fileno(), 2)  # the stats go to C's stderr
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode('ascii', 'replace')
    arenas = re.search(r'# arenas allocated current\s*=\s*([\d,]+)', text)
    size = re.search(r'(\d[\d,]*) arenas \* (\d[\d,]*) bytes/arena', text)
    if not arenas or not size:
        return None
    return int(arenas.group(1).replace(',', '')), int(size.group(2).replace(',', ''))


class Heap:
    """What a leak would grow, measured apart from what an allocator retains.

    RSS alone cannot tell the two apart: pymalloc keeps an arena (1 MiB on
    CPython 3.10+) mapped while any one small object in it lives, so the
    same live heap can sit in more arenas after a busier wave (fragmentation,
    not a leak).  A leak shows as more live objects, more pymalloc blocks or
    more malloc'd bytes; those are bounded directly, and RSS is bounded net
    of the arenas pymalloc retained.
    """

    def __init__(self):
        trim_memory()
        self.rss = rss_mib()
        self.objects = len(gc.get_objects())
        self.blocks = sys.getallocatedblocks()
        self.malloc = malloc_in_use_mib()
        arenas = pymalloc_arenas()
        self.arenas, self.arena_size = arenas if arenas else (0, 0)

    def __repr__(self):
        return ('RSS %.1f MiB, %d objects, %d pymalloc blocks in %d arenas, malloc %s MiB'
                % (self.rss, self.objects, self.blocks, self.arenas,
                   '?' if self.malloc is None else '%.1f' % self.malloc))

    def assert_within(self, baseline, tolerance):
        """No growth over ``baseline`` beyond ``tolerance`` (a fraction)."""
        assert self.objects <= baseline.objects * (1 + tolerance / 10), (baseline, self)
        assert self.blocks <= baseline.blocks * (1 + tolerance / 10), (baseline, self)
        if self.malloc is not None and baseline.malloc is not None:
            assert self.malloc <= baseline.malloc * (1 + tolerance) + 1, (baseline, self)
        retained = max(0, self.arenas - baseline.arenas) * self.arena_size / 2 ** 20
        assert self.rss - retained <= baseline.rss * (1 + tolerance), (
            'RSS grew by more than the arenas pymalloc retained', baseline, self)


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
