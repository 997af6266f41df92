"""Test helpers shipped with gnet: honest fakes and the contract suite.

Owns: re-exports of :class:`PassThrough`, :func:`memory_pair` (two
connected Duplex endpoints that behave like the two ends of a socket, with
backpressure, :mod:`gnet.testing.memory`), the handle fakes
(:mod:`gnet.testing.fakes`) and the stream contract suite
(:mod:`gnet.testing.conformance`, imported on its own).  The fakes declare
the same interfaces as the real classes and pass
``zope.interface.verify.verifyObject``.
Must not import: gevent, greenlet, socket.
"""

from ..streams.duplex import PassThrough
from .fakes import FakeListenHandle, FakePipeHandle, FakeTCPHandle, FakeWatcher
from .memory import DEFAULT_CAPACITY, MemoryDuplex, memory_pair

__all__ = ['PassThrough', 'MemoryDuplex', 'memory_pair', 'DEFAULT_CAPACITY',
           'FakeTCPHandle', 'FakePipeHandle', 'FakeListenHandle', 'FakeWatcher']
