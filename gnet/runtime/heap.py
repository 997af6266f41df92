"""Giving freed heap pages back to the operating system after a burst of greenlets.

Owns: one call, :func:`release_free_pages`, and the count of retirements
that makes it worth its cost (the reaper in gnet.runtime.runner counts).
A connection's greenlet keeps a copy of its C stack on the heap
while it is switched out; when the reaper retires the greenlets of thousands of
idle connections at once, those copies are freed between objects that live on
(the connections themselves), and glibc keeps the holes mapped: the process's
resident size stays at its peak.  ``malloc_trim(0)`` hands whole free pages
inside the heap back (``madvise(MADV_DONTNEED)``): about 1 KiB per idle
connection at 1,000 to 5,000 connections (docs/performance.md).  Other C libraries (musl, macOS)
have no such call; there this module does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from typing import Any, Callable, Optional

__all__ = ['RETIRED_BEFORE_TRIM', 'release_free_pages']

log = logging.getLogger('gnet.runtime.heap')

#: retirements since the last trim that make the next sweep trim (a trim walks
#: the whole heap: a millisecond at 20,000 connections, so not for a handful)
RETIRED_BEFORE_TRIM = 256


def _find_trim() -> Optional[Callable[[int], Any]]:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
        trim: Callable[[int], Any] = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]  # type: ignore[attr-defined]
    trim.restype = ctypes.c_int  # type: ignore[attr-defined]
    return trim


_trim = _find_trim()


def release_free_pages() -> bool:
    """Return the heap's free pages to the OS; False where the C library cannot."""
    if _trim is None:
        return False
    _trim(0)
    log.debug('heap trimmed after a sweep of idle greenlets')
    return True
