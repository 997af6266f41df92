"""The accept policy: one for every accept loop gnet runs.

Owns: how ``accept()`` errors are sorted (transient / capacity / fatal),
the back-off after capacity and fatal errors, and the batch loop that drains
a listen handle.  Used by :class:`gnet.net.server.Server`'s accept greenlet
and by the cluster primary's round-robin acceptor
(:mod:`gnet.cluster.primary`).  Shedding: when ``accept()`` fails for lack
of descriptors, the listen handle (which owns the spare descriptor) frees
its spare, accepts and closes the backlog, and takes the spare back
(``IListenHandle.try_accept``/``shed_pending``), asking :func:`is_capacity`.
Must not import: the socket, the server, the handles (they import this).
"""

import enum
import errno
import logging
import os
from typing import Any, Callable, Optional, Tuple

__all__ = ['TRANSIENT_ERRNOS', 'CAPACITY_ERRNOS', 'Kind', 'classify', 'is_capacity',
           'Backoff', 'Outcome', 'accept_batch', 'ACCEPTS_PER_WAKEUP',
           'BACKOFF_MIN_MS', 'BACKOFF_MAX_MS']

log: logging.Logger = logging.getLogger('gnet.server')

#: connections accepted per wake-up before yielding to other greenlets
ACCEPTS_PER_WAKEUP = 64
#: back-off after a capacity or fatal error: first and longest delay, in milliseconds
#: (gevent's ``BaseServer`` min/max delay, doubling in between)
BACKOFF_MIN_MS = 10
BACKOFF_MAX_MS = 1000

#: Transient: the error is about one connection, which is gone; the next
#: accept() may well succeed, so skip it and go on at once.
TRANSIENT_ERRNOS = frozenset([
    errno.ECONNABORTED,   # the peer reset the connection while it sat in the backlog
    errno.EPROTO,         # protocol error on that one connection (Linux reports it like ECONNABORTED)
    errno.EPERM,          # a firewall (netfilter) refused that one connection
    errno.EINTR,          # a signal interrupted the call: nothing was lost
    # Linux's accept(2): "already-pending network errors on the new socket", reported
    # by accept() for that socket only; the listening socket is fine
    errno.ENETDOWN, errno.ENOPROTOOPT, errno.EHOSTDOWN, errno.ENONET,
    errno.EHOSTUNREACH, errno.EOPNOTSUPP, errno.ENETUNREACH,
])

#: Capacity: the process or the kernel is out of a resource.  Retrying at once
#: would spin; the backlog is shed (so peers see a close, not a hang) and
#: accepting backs off, then recovers by itself once resources are freed.
CAPACITY_ERRNOS = frozenset([
    errno.EMFILE,    # this process hit its descriptor limit (RLIMIT_NOFILE)
    errno.ENFILE,    # the system-wide file table is full
    errno.ENOBUFS,   # the kernel could not allocate socket buffers
    errno.ENOMEM,    # the kernel could not allocate memory for the socket
])


class Kind(enum.Enum):
    TRANSIENT = 'transient'   # skip that connection, go on
    CAPACITY = 'capacity'     # shed, back off, recover; not an error event
    FATAL = 'fatal'           # anything else (EBADF, EINVAL, ...): report, back off, retry


def classify(err: OSError) -> Kind:
    """Sort an ``accept()`` error (everything not listed above is fatal)."""
    if err.errno in TRANSIENT_ERRNOS:
        return Kind.TRANSIENT
    if err.errno in CAPACITY_ERRNOS:
        return Kind.CAPACITY
    return Kind.FATAL


def is_capacity(err: OSError) -> bool:
    return err.errno in CAPACITY_ERRNOS


class Backoff:
    """A delay that starts at ``min_ms``, doubles per failure up to ``max_ms``, resets on success."""

    __slots__ = ('min_ms', 'max_ms', 'delay_ms')

    def __init__(self, min_ms: int = BACKOFF_MIN_MS, max_ms: int = BACKOFF_MAX_MS):
        self.min_ms: int = min_ms
        self.max_ms: int = max_ms
        self.delay_ms: int = 0  # 0: not backing off

    def next_ms(self, err: OSError) -> int:
        """The next delay; the first failure of a run is logged at WARNING, the rest at DEBUG."""
        report = log.warning if self.delay_ms == 0 else log.debug
        self.delay_ms = min(self.max_ms, max(self.min_ms, self.delay_ms * 2))
        report('accept: %s; retrying in %d ms', os.strerror(err.errno or 0), self.delay_ms)
        return self.delay_ms

    def reset(self) -> None:
        self.delay_ms = 0


class Outcome(enum.Enum):
    DRAINED = 'drained'     # the backlog is empty: wait until the handle is readable
    BUSY = 'busy'           # the batch limit was reached: yield, then accept again
    CLOSED = 'closed'       # the handle was closed meanwhile: stop
    FAILED = 'failed'       # a capacity or fatal error (returned with it): back off


def accept_batch(handle: Any, deliver: Callable[[Any, Any], None],
                 limit: int = ACCEPTS_PER_WAKEUP) -> Tuple[Outcome, Optional[OSError]]:
    """Accept up to ``limit`` connections from ``handle`` (an ``IListenHandle``).

    Each ``(socket, peer)`` goes to ``deliver``; transient errors are skipped.
    Returns what the caller does next, and the error for ``FAILED`` (whose
    :func:`classify` says whether it is also worth an ``'error'``).
    """
    for _ in range(limit):
        if handle.fileno < 0:
            return Outcome.CLOSED, None
        try:
            got = handle.try_accept()
        except OSError as exc:
            if classify(exc) is Kind.TRANSIENT:
                continue
            return Outcome.FAILED, exc
        if got is None:
            return Outcome.DRAINED, None
        deliver(*got)
    return Outcome.BUSY, None
