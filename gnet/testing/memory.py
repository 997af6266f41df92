"""An in-memory connected pair of Duplex streams that behaves like a socket pair.

Owns: :class:`MemoryDuplex` (one endpoint) and :func:`memory_pair`.
Must not import: gevent, greenlet, socket (pure: schedules through
``loop.next_tick``/``loop.set_immediate`` only).

The model (each direction is a :class:`_Channel`, the "kernel" between two
endpoints):

* ``write()`` on one end hands the chunk to ``_write``/``_writev``, which
  queues it in the channel; delivery to the other end is *asynchronous*: a
  coalesced immediate (like an I/O event: after every queued tick) pushes
  queued chunks into the peer's readable side, never inside ``write()``.
* ``capacity`` bytes may wait in the channel: a write whose chunk still fits
  completes synchronously (as a socket write the kernel accepts at once);
  beyond that its callback waits until the peer has taken enough.  With
  ``capacity=0`` the pair runs in lockstep: a write completes only once the
  peer's readable side accepted it and is not over its high-water mark.
* The peer takes data while its readable side wants it (Node's ``_read``
  contract: after ``push()`` returns False nothing more is pushed until the
  next ``_read``), so a paused reader pushes back on the writer exactly like
  TCP flow control: the writer's ``writable_length`` grows and ``write()``
  returns False (R2).
* ``end()`` (``_final``) queues an EOF after the data: the peer gets
  ``'end'`` once it has read everything (half-close; with the peer's
  ``allow_half_open=True`` it may keep writing back).
* ``destroy()`` of an endpoint that had called ``end()``: the peer still
  receives the queued data and ``'end'`` (a FIN).  ``destroy()`` without
  ``end()``: queued data is dropped and the peer is destroyed with a
  ``SysError`` whose ``code`` is ``'ECONNRESET'`` (``syscall='read'``) -- a
  reset.  Either way, later writes *to* a destroyed endpoint fail with
  ``EPIPE`` (``syscall='write'``) on the writer, which then errors.
"""

import errno
from collections import deque
from typing import Any, Callable, Deque, List, Optional, Tuple

from .. import errors
from ..naming import node_aliases
from ..runtime import loop
from ..streams.duplex import Duplex
from ..streams.encodings import encode

__all__ = ['MemoryDuplex', 'memory_pair', 'DEFAULT_CAPACITY']

#: Bytes that may wait between the two ends by default (a small socket buffer).
DEFAULT_CAPACITY = 65536


class _Channel:
    """One direction of the pair: the bytes in flight from ``src`` to ``dst``."""

    __slots__ = ('dst', 'queue', 'queued', 'capacity', 'want', 'pending_cb', 'eof',
                 'eof_sent', 'scheduled', 'broken')

    def __init__(self, capacity: int):
        self.dst: Any = None
        self.queue: Deque[bytes] = deque()
        self.queued: int = 0            # bytes in queue
        self.capacity: int = capacity   # bytes that may wait before a write stalls
        self.want: bool = True           # the reader may take more (set by _read, cleared by push())
        self.pending_cb: Optional[Callable[..., Any]] = None  # the stalled write's callback
        self.eof: bool = False           # the writer ended: push(None) after the queue
        self.eof_sent: bool = False      # push(None) was done
        self.scheduled: bool = False     # a pump immediate is pending
        self.broken: bool = False        # the reader is gone: writes fail with EPIPE

    def schedule(self) -> None:
        # an immediate, not a tick: like I/O, it runs after every queued tick, so a
        # write completed here never overtakes the deferred callbacks of earlier
        # writes that completed synchronously (W4)
        if not self.scheduled:
            self.scheduled = True
            loop.set_immediate(self.pump)

    def pump(self) -> None:
        self.scheduled = False
        dst = self.dst
        queue = self.queue
        if dst._readable_state.destroyed:
            queue.clear()
            self.queued = 0
        else:
            while queue and self.want:
                chunk = queue.popleft()
                self.queued -= len(chunk)
                self.want = dst.push(chunk)
            if self.eof and not queue and not self.eof_sent:
                self.eof_sent = True
                dst.push(None)
        self.release()

    def release(self) -> None:
        callback = self.pending_cb
        if callback is None:
            return
        if self.broken:
            self.pending_cb = None
            callback(errors.SysError(errno.EPIPE, 'write'))
        elif self.queued <= self.capacity and (self.capacity > 0 or (self.want and not self.queue)):
            self.pending_cb = None
            callback()


@node_aliases
class MemoryDuplex(Duplex):
    """One end of :func:`memory_pair` (an honest IDuplex)."""

    def __init__(self, out: _Channel, inc: _Channel, **options: Any):
        Duplex.__init__(self, **options)
        self._out = out   # what we write
        self._in = inc    # what we read
        self._peer: Optional['MemoryDuplex'] = None

    def _send(self, data: bytes, callback: Callable[..., Any]) -> None:
        out = self._out
        if out.broken:
            callback(errors.SysError(errno.EPIPE, 'write'))
            return
        if not data:
            loop.next_tick(callback)
            return
        out.queue.append(data)
        out.queued += len(data)
        out.schedule()
        if out.capacity > 0 and out.queued <= out.capacity:
            callback()  # the "kernel" took it at once: synchronous completion
        else:
            out.pending_cb = callback

    def _write(self, chunk: Any, encoding: str, callback: Callable[..., Any]) -> None:
        self._send(chunk if chunk.__class__ is bytes else _as_bytes(chunk, encoding), callback)

    def _writev(self, chunks: List[Tuple[Any, str]], callback: Callable[..., Any]) -> None:
        self._send(b''.join([_as_bytes(chunk, encoding) for chunk, encoding in chunks]), callback)

    def _read(self, size: int) -> None:
        inc = self._in
        inc.want = True
        if inc.queue or inc.pending_cb is not None or (inc.eof and not inc.eof_sent):
            inc.schedule()

    def _final(self, callback: Callable[..., Any]) -> None:
        self._out.eof = True
        self._out.schedule()
        loop.set_immediate(callback)

    def _destroy(self, err: Optional[BaseException], callback: Callable[..., Any]) -> None:
        out = self._out
        inc = self._in
        stalled = out.pending_cb
        out.pending_cb = None
        if self._writable_state.ending:
            out.eof = True  # graceful: the peer gets what is queued, then 'end'
            out.schedule()
        else:
            out.queue.clear()
            out.queued = 0
            out.broken = True
            peer = self._peer
            if peer is not None and not peer.destroyed:
                loop.next_tick(_reset, peer)
        inc.broken = True  # the peer's writes to us now fail with EPIPE
        inc.queue.clear()
        inc.queued = 0
        if inc.pending_cb is not None:
            loop.set_immediate(inc.release)
        if stalled is None:
            callback(err)
        else:  # as a socket's: the write in flight completes, then the handle closes
            loop.set_immediate(_complete_then_close, stalled, callback, err)


def _as_bytes(chunk: Any, encoding: str) -> bytes:
    if isinstance(chunk, str):  # decode_strings=False
        return encode(chunk, encoding)
    return bytes(chunk)  # a copy: the writer may reuse its buffer once called back


def _complete_then_close(stalled: Callable[..., Any], callback: Callable[..., Any],
                         err: Optional[BaseException]) -> None:
    stalled()
    callback(err)


def _reset(peer: MemoryDuplex) -> None:
    if not peer.destroyed:
        peer.destroy(errors.SysError(errno.ECONNRESET, 'read'))


def memory_pair(capacity: int = DEFAULT_CAPACITY, high_water_mark: Optional[int] = None,
                allow_half_open: bool = True, **options: Any) -> Tuple[MemoryDuplex, MemoryDuplex]:
    """Two connected :class:`MemoryDuplex` ends ``(a, b)``: what ``a`` writes, ``b`` reads.

    ``capacity`` bytes may be in flight per direction (0 = lockstep);
    ``high_water_mark`` and ``allow_half_open`` (and any other Duplex option)
    apply to both ends.
    """
    if high_water_mark is not None:
        options['high_water_mark'] = high_water_mark
    options['allow_half_open'] = allow_half_open
    a_to_b = _Channel(capacity)
    b_to_a = _Channel(capacity)
    a = MemoryDuplex(a_to_b, b_to_a, **options)
    b = MemoryDuplex(b_to_a, a_to_b, **options)
    a_to_b.dst = b
    b_to_a.dst = a
    a._peer = b
    b._peer = a
    return a, b
