"""Benchmark ``BlockList.check()`` against the number of rules.

Run: ``python bench/bench_blocklist.py [--repeats N] [--checks N]``.

For 10, 1,000 and 100,000 rules (a random mix of IPv4/IPv6 addresses,
ranges and subnets) it times ``check()`` on random addresses -- given as
strings with a family, and as pre-built ``SocketAddress`` objects (which
skips the text parsing and so isolates the index lookup) -- and reports
microseconds per check, the median of several repeats measured with
``time.perf_counter``.  It also reports the time to add the rules and index
them (the first ``check`` after adds folds them in).  It ends with the
ratio of the 100,000-rule to the 10-rule ``check(str, family)`` figure, which
must stay under 3 (``check`` is O(log n)); exit status 1 if it does not.  The
``SocketAddress`` column is a diagnostic: with no parsing left it shows the
bisect alone, whose comparisons grow as log2(n) (about 4 at 10 rules, 17 at
100,000), so its ratio is naturally larger.
"""

import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from gnet.net.blocklist import BlockList  # noqa: E402
from gnet.net.ip import MAPPED_BASE, format_ip  # noqa: E402
from gnet.net.socketaddress import SocketAddress  # noqa: E402

SIZES = (10, 1_000, 100_000)
MAX_RATIO = 3.0


def random_point(rng):
    """(family, value): 70% IPv4, the rest IPv6 (a tenth of those IPv4-mapped)."""
    if rng.random() < 0.7:
        return 4, rng.randrange(2 ** 32)
    if rng.random() < 0.1:
        return 6, MAPPED_BASE | rng.randrange(2 ** 32)
    return 6, rng.randrange(2 ** 128)


def build(n, rng):
    """A BlockList of ``n`` mixed rules, and the seconds taken to add and index them."""
    rules = []
    for _ in range(n):
        family, value = random_point(rng)
        bits = 32 if family == 4 else 128
        v4_sized = family == 4 or value >> 32 == 0xffff  # IPv4 or IPv4-mapped
        kind = rng.choice(('address', 'range', 'subnet'))
        text = format_ip(family, value)
        name = 'ipv%d' % family
        if kind == 'address':
            rules.append(('add_address', (text, name)))
        elif kind == 'range':
            end = min(value + rng.randrange(1, 2 ** (8 if v4_sized else 32)), 2 ** bits - 1)
            rules.append(('add_range', (text, format_ip(family, end), name)))
        else:
            shortest = bits - 16 if v4_sized else bits // 2
            rules.append(('add_subnet', (text, rng.randrange(shortest, bits + 1), name)))
    started = time.perf_counter()
    blocklist = BlockList()
    for method, args in rules:
        getattr(blocklist, method)(*args)
    blocklist.check('0.0.0.0')  # folds the queued adds into the index
    return blocklist, time.perf_counter() - started


def time_per_call(function, arguments, repeats):
    """Median over ``repeats`` runs of the mean seconds per ``function(*args)``."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        for args in arguments:
            function(*args)
        samples.append((time.perf_counter() - started) / len(arguments))
    return statistics.median(samples)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeats', type=int, default=7)
    parser.add_argument('--checks', type=int, default=20_000)
    parser.add_argument('--seed', type=int, default=1)
    options = parser.parse_args(argv)
    rng = random.Random(options.seed)
    queries = [random_point(rng) for _ in range(options.checks)]
    as_text = [(format_ip(f, v), 'ipv%d' % f) for f, v in queries]
    as_objects = [(SocketAddress(address=a, family=f),) for a, f in as_text]

    rows = []
    for size in SIZES:
        blocklist, build_s = build(size, rng)
        text_us = time_per_call(blocklist.check, as_text, options.repeats) * 1e6
        object_us = time_per_call(blocklist.check, as_objects, options.repeats) * 1e6
        blocked = sum(blocklist.check(*args) for args in as_text)
        rows.append((size, text_us, object_us, build_s, blocked))

    print('| rules | check(str, family) µs | check(SocketAddress) µs '
          '| add + index all rules (s) | blocked / checked |')
    print('|---:|---:|---:|---:|---:|')
    for size, text_us, object_us, build_s, blocked in rows:
        print('| %s | %.2f | %.2f | %.3f | %d / %d |'
              % (format(size, ','), text_us, object_us, build_s, blocked, len(as_text)))
    ratio_text = rows[-1][1] / rows[0][1]
    ratio_object = rows[-1][2] / rows[0][2]
    print()
    print('ratio 100k/10: %.2f for check(str, family) (limit %.1f); %.2f with SocketAddress'
          % (ratio_text, MAX_RATIO, ratio_object))
    print('(median of %d repeats of %s checks; Python %s)'
          % (options.repeats, format(len(as_text), ','), sys.version.split()[0]))
    return 0 if ratio_text < MAX_RATIO else 1


if __name__ == '__main__':
    sys.exit(main())
