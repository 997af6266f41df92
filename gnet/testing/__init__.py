"""Test helpers shipped with gnet: honest in-memory fakes.

Owns: re-exports of :class:`PassThrough` and :func:`memory_pair` (two
connected Duplex endpoints that behave like the two ends of a socket, with
backpressure).  The fakes declare the same interfaces as the real classes
and pass ``zope.interface.verify.verifyObject``.
Must not import: gevent, greenlet, socket (pure, like the streams).
"""

from ..streams.duplex import PassThrough
from .memory import DEFAULT_CAPACITY, MemoryDuplex, memory_pair

__all__ = ['PassThrough', 'MemoryDuplex', 'memory_pair', 'DEFAULT_CAPACITY']
