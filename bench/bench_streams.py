"""Throughput of gnet's stream state machine over the in-memory pair.

Run:  python bench/bench_streams.py [--seconds S] [--passes N]

Rows, for 64 B and 64 KiB chunks (medians of N passes):

* ``memory pair bulk``: one endpoint writes as fast as backpressure allows
  (write until False, then wait for 'drain'), the other consumes in flowing
  mode.  MB/s end to end and us per *written* chunk.  Writes queued behind a
  stalled one reach the peer as one ``_writev`` blob (as on a socket), so the
  peer sees fewer, larger 'data' events: the "data/write" column.
* ``memory pair ping-pong``: the next write is made from the peer's 'data'
  listener, so every chunk pays the whole path: write, _write, the delivery
  immediate, push and 'data'.
* ``Readable.push -> data`` and ``Writable.write (sync _write)``: each half
  of the state machine alone, no loop involved.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from gevent.event import Event  # noqa: E402

from gnet.runtime import loop  # noqa: E402
from gnet.streams.readable import Readable  # noqa: E402
from gnet.streams.writable import Writable  # noqa: E402
from gnet.testing import memory_pair  # noqa: E402


def bench_pair(size: int, seconds: float) -> tuple:
    """Bytes/s, seconds per written chunk, 'data' events per write; a -> b, bulk."""
    a, b = memory_pair()
    chunk = b'x' * size
    count = max(1000, int(seconds * (2e6 if size <= 1024 else 30e3)))
    total = count * size
    received = [0]
    events = [0]
    done = Event()

    def on_data(data: bytes) -> None:
        received[0] += len(data)
        events[0] += 1
        if received[0] >= total:
            done.set()

    b.on('data', on_data)
    sent = [0]
    write = a.write

    def produce() -> None:
        while sent[0] < count:
            sent[0] += 1
            if not write(chunk):
                a.once('drain', produce)
                return

    started = time.perf_counter()
    loop.next_tick(produce)
    if not done.wait(120):
        raise RuntimeError('benchmark stalled at %d of %d bytes' % (received[0], total))
    elapsed = time.perf_counter() - started
    a.destroy()
    b.destroy()
    return total / elapsed, elapsed / count, events[0] / count


def bench_ping_pong(size: int, seconds: float) -> tuple:
    """Each write waits for the previous chunk's 'data' on the peer."""
    a, b = memory_pair()
    chunk = b'x' * size
    count = max(500, int(seconds * (150e3 if size <= 1024 else 40e3)))
    sent = [1]
    done = Event()

    def on_data(data: bytes) -> None:
        if sent[0] < count:
            sent[0] += 1
            a.write(chunk)
        else:
            done.set()

    b.on('data', on_data)
    started = time.perf_counter()
    a.write(chunk)
    if not done.wait(120):
        raise RuntimeError('ping-pong stalled at %d of %d' % (sent[0], count))
    elapsed = time.perf_counter() - started
    a.destroy()
    b.destroy()
    return count * size / elapsed, elapsed / count, 1.0


def bench_push(size: int, seconds: float) -> tuple:
    r = Readable(read=lambda self, n: None)
    got = [0]
    r.on('data', lambda data: got.__setitem__(0, got[0] + 1))
    ready = Event()
    loop.next_tick(ready.set)  # let resume() run: flowing, not inside _read
    ready.wait(5)
    chunk = b'x' * size
    count = max(1000, int(seconds * 1e6))
    push = r.push
    started = time.perf_counter()
    for _ in range(count):
        push(chunk)
    elapsed = time.perf_counter() - started
    assert got[0] == count
    return count * size / elapsed, elapsed / count, 1.0


def bench_write(size: int, seconds: float) -> tuple:
    w = Writable(write=lambda self, chunk, encoding, callback: callback())
    chunk = b'x' * size
    count = max(1000, int(seconds * 1e6))
    write = w.write
    started = time.perf_counter()
    for _ in range(count):
        write(chunk)
    elapsed = time.perf_counter() - started
    return count * size / elapsed, elapsed / count, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seconds', type=float, default=0.5, help='rough duration of one pass')
    parser.add_argument('--passes', type=int, default=5)
    args = parser.parse_args()
    rows = []
    for label, fn in (('memory pair bulk', bench_pair),
                      ('memory pair ping-pong', bench_ping_pong),
                      ('Readable.push -> data', bench_push),
                      ('Writable.write (sync _write)', bench_write)):
        for size in (64, 65536):
            results = [fn(size, args.seconds) for _ in range(args.passes)]
            rate = statistics.median(r[0] for r in results)
            per = statistics.median(r[1] for r in results)
            ratio = results[0][2]
            spread = (min(r[0] for r in results), max(r[0] for r in results))
            rows.append((label, size, rate / 1e6, per * 1e6, spread[0] / 1e6, spread[1] / 1e6, ratio))
    print('| path | chunk | MB/s (median) | us/chunk | MB/s min-max | data/write |')
    print('|---|---|---|---|---|---|')
    for label, size, mbs, us, low, high, ratio in rows:
        print('| %s | %s | %.1f | %.2f | %.1f-%.1f | %s |' % (
            label, '64 B' if size == 64 else '64 KiB', mbs, us, low, high,
            '-' if ratio is None else '%.3f' % ratio))
    print('\n(Python %s, %d passes of ~%.1fs)' % (sys.version.split()[0], args.passes, args.seconds))


if __name__ == '__main__':
    main()
