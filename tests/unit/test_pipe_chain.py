"""pipe() through a chain of in-memory duplexes into a slow sink.

1 MiB of seeded random data goes source -> PassThrough -> memory pair
(a -> b) -> PassThrough -> slow sink, byte-exact, while every push and write
is checked: no readable or writable buffer may exceed its high-water mark by
more than the chunk that crossed it.  One nuance, Node's and so ours: a push
made inside ``_read`` (``read()`` reads ahead before it takes its chunk off
the buffer) may briefly sit on top of the chunk being taken, so for those
pushes the bound is the mark plus two chunks.
"""

import random

import pytest

from gnet.runtime import loop
from gnet.streams.duplex import PassThrough
from gnet.streams.readable import Readable
from gnet.streams.writable import Writable
from gnet.testing import memory_pair

from stream_helpers import wait_until

pytestmark = pytest.mark.timeout(30)

TOTAL = 1 << 20
HWM = 16384


def instrument(stream, name, violations, largest):
    """Wrap ``push``/``write`` of one stream to check its buffers after each call."""
    def check(chunk):
        size = len(chunk) if chunk is not None else 0
        largest[name] = max(largest.get(name, 0), size)
        bound = largest[name]
        rstate = getattr(stream, '_readable_state', None)
        wstate = getattr(stream, '_writable_state', None)
        if rstate is not None:
            rbound = bound * 2 if rstate.sync else bound  # inside _read: read-ahead
            if rstate.length > rstate.high_water_mark + rbound:
                violations.append('%s readable_length %d > %d + %d'
                                  % (name, rstate.length, rstate.high_water_mark, rbound))
        if wstate is not None and wstate.length > wstate.high_water_mark + bound:
            violations.append('%s writable_length %d > %d + %d'
                              % (name, wstate.length, wstate.high_water_mark, bound))

    if hasattr(stream, 'push'):
        original_push = stream.push

        def push(chunk, encoding=None):
            ret = original_push(chunk, encoding)
            check(chunk)
            return ret
        stream.push = push
    if hasattr(stream, 'write'):
        original_write = stream.write

        def write(chunk, encoding=None, cb=None):
            ret = original_write(chunk, encoding, cb)
            check(chunk)
            return ret
        stream.write = write


@pytest.mark.parametrize('capacity', [0, HWM])
def test_one_mebibyte_through_three_duplexes(capacity):
    rng = random.Random(20240601)
    data = rng.randbytes(TOTAL)
    offset = [0]

    def _read(self, size):
        while offset[0] < TOTAL:
            step = rng.randint(1, HWM)
            chunk = data[offset[0]:offset[0] + step]
            offset[0] += len(chunk)
            if not self.push(chunk):
                return
        self.push(None)

    received = bytearray()
    writes = [0]

    def _write(self, chunk, encoding, callback):
        received.extend(chunk)
        writes[0] += 1
        if writes[0] % 8 == 0:
            loop.set_timeout(callback, 1)   # now and then a really slow write
        else:
            loop.set_immediate(callback)

    source = Readable(read=_read, high_water_mark=HWM)
    first = PassThrough(high_water_mark=HWM)
    a, b = memory_pair(capacity=capacity, high_water_mark=HWM)
    last = PassThrough(high_water_mark=HWM)
    sink = Writable(write=_write, high_water_mark=HWM)
    violations, largest = [], {}
    for name, stream in (('source', source), ('first', first), ('a', a), ('b', b),
                         ('last', last), ('sink', sink)):
        instrument(stream, name, violations, largest)
    finished = []
    sink.on('finish', lambda: finished.append(True))
    source.pipe(first).pipe(a)
    b.pipe(last).pipe(sink)
    wait_until(lambda: finished, timeout=25)
    assert violations == []
    assert len(received) == TOTAL and bytes(received) == data
    a.destroy()
    b.destroy()
