#!/usr/bin/env python3
"""How per-connection cost grows with the connection count: idle memory and latency.

    /work/venv/bin/python bench/growth.py --quick                  # smoke run, about 1 minute
    /work/venv/bin/python bench/growth.py --passes 3 --write-results

For each idle connection count (1,000 … 19,000) and each server, a fresh server
(pinned like bench/run.py's) holds that many idle TCP connections from the load
generator, and its RSS growth per connection is read as the harness's idle10k
workload reads it; then 64 B ping-pong with 100, 1,000 and 5,000 active
connections gives p50/p99 latency and the server's CPU per round trip.  Every
server runs at a count before the next count; --passes repeats the whole loop
and medians are reported.  The tables go to stdout; --write-results puts them
between the growth markers of bench/RESULTS.md and docs/performance.md, with
the plot docs/images/growth.png (when matplotlib is importable).
"""

import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile
import time

from harness.catalog import REPO, SERVER_BY_NAME, Workload
from harness.growth import ACTIVE, IDLE, docs_section, plot, report_lines, results_section, write_section
from harness.machine import build, machine_info, raise_nofile
from harness.report import summarize
from harness.runner import CORRECTNESS, describe_sample, run_with_retries

SERVERS = 'gnet_pipe,gevent_raw,node_net,c_epoll'
SIZES, ACTIVES = (1000, 2500, 5000, 10000, 15000, 19000), (100, 1000, 5000)
QUICK_SIZES, QUICK_ACTIVES = (200, 500), (50,)
#: descriptors kept free besides the connections, as bench/run.py keeps for its idle workload
FD_MARGIN = 200
#: the plot, relative to docs/
IMAGE = 'images/growth.png'


def counts(text):
    """A comma-separated list of connection counts, sorted and without repeats."""
    try:
        values = sorted({int(v) for v in text.split(',') if v.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError('expected comma-separated integers: %r' % text) from None
    if not values or values[0] < 1:
        raise argparse.ArgumentTypeError('expected positive connection counts: %r' % text)
    return values


def parse_args(argv):
    """The options; --quick fills in whatever was not given."""
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--sizes', type=counts, help='idle connection counts (%s)' % ','.join(map(str, SIZES)))
    p.add_argument('--active', type=counts,
                   help='active ping-pong connection counts (%s)' % ','.join(map(str, ACTIVES)))
    p.add_argument('--passes', type=int, default=1, help='passes over the whole loop (1)')
    p.add_argument('--seconds', type=float, help='ping-pong measured seconds (5)')
    p.add_argument('--warmup', type=float, help='ping-pong warm-up seconds (1)')
    p.add_argument('--quick', action='store_true',
                   help='smoke run: sizes 200,500, active 50, 0.3 s + 1 s windows, no re-runs')
    p.add_argument('--only', default=SERVERS, help='comma-separated servers (%s)' % SERVERS)
    p.add_argument('--quiet-wait', type=float,
                   help='seconds to wait at most for an idle machine before each run (10; quick 1)')
    p.add_argument('--retries', type=int, help='re-runs of a disturbed ping-pong run (1; quick 0)')
    p.add_argument('--retry-budget', type=float, default=120.0, help='seconds re-runs may take (120)')
    p.add_argument('--cc', default=os.environ.get('CC', 'cc'), help='C compiler (cc)')
    p.add_argument('--write-results', action='store_true',
                   help='rewrite the growth sections of bench/RESULTS.md and docs/performance.md '
                        'and the plot docs/images/growth.png')
    p.add_argument('--root', default=REPO, help='where bench/ and docs/ are written (this checkout)')
    p.add_argument('--json', help='also dump every sample to this JSON file')
    p.add_argument('--from-json', help='render from such a dump instead of running')
    args = p.parse_args(argv)
    args.command_line = ['bench/growth.py'] + list(argv)
    quick = args.quick
    defaults = {'sizes': QUICK_SIZES if quick else SIZES, 'active': QUICK_ACTIVES if quick else ACTIVES,
                'seconds': 1.0 if quick else 5.0, 'warmup': 0.3 if quick else 1.0,
                'quiet_wait': 1.0 if quick else 10.0, 'retries': 0 if quick else 1}
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, list(value) if isinstance(value, tuple) else value)
    return args


def choose_servers(names, notes):
    """The plain echo servers asked for and available; exits on an unknown name."""
    servers = []
    for name in names.split(','):
        server = SERVER_BY_NAME.get(name)
        if server is None or server.kind != 'net':
            sys.exit('unknown or TLS server: %s' % name)
        if server.available():
            servers.append(server)
        else:
            notes.append('`%s` skipped: `%s` not found' % (name, server.needs))
    return servers


def fitting(values, nofile, what, notes):
    """The counts that fit in the descriptor limit, with a note for those that do not."""
    over = [n for n in values if n + FD_MARGIN > nofile]
    if over:
        notes.append('%s %s skipped: RLIMIT_NOFILE is %s and a count needs %d descriptors more '
                     'than its connections' % (what, ', '.join('{:,}'.format(n) for n in over),
                                               '{:,}'.format(nofile), FD_MARGIN))
    return [n for n in values if n + FD_MARGIN <= nofile]


def workload(curve, n):
    """The harness workload of one point of a curve."""
    if curve == IDLE:
        return Workload('idle%d' % n, 'idle connections', 'idle', 'KiB/conn', lower_better=True)
    return Workload('pp64x%d' % n, 'ping-pong 64 B', 'pingpong', 'rt/s', conns=n, size=64)


def estimate(args, n_servers, sizes, actives):
    """Seconds a run takes, roughly: start, settle and teardown, plus setup per connection."""
    idle = sum(4.0 + n / 4000 for n in sizes)
    timed = sum(args.warmup + args.seconds + 1.0 + n / 4000 for n in actives)
    return args.passes * n_servers * (idle + timed)


def run_curves(args, servers, sizes, actives, loadgen):
    """Every pass × point × server, servers interleaved at each point and rotated per pass;
    {(curve, n, server): [sample]}."""
    samples = {}
    budget = [args.retry_budget]
    points = [(IDLE, n) for n in sizes] + [(ACTIVE, n) for n in actives]
    with tempfile.TemporaryDirectory(prefix='gnet-growth-') as tmpdir:
        for p in range(args.passes):
            k = p % len(servers)
            for curve, n in points:
                w = workload(curve, n)
                for server in servers[k:] + servers[:k]:
                    label = 'pass %d %-6s %6s %-12s' % (p + 1, curve, '{:,}'.format(n), server.name)
                    sample = run_with_retries(server, w, 'tcp', args, {'net': loadgen}, tmpdir, n,
                                              budget, label)
                    samples.setdefault((curve, n, server.name), []).append(sample)
                    print(label + ' ' + describe_sample(sample, w), file=sys.stderr, flush=True)
    return samples


def run_notes(results):
    """Notes on failed runs and on disturbed runs left out of the medians."""
    notes = []
    for (curve, n, name), agg in sorted(results.items()):
        for error in agg['errors']:
            notes.append('`%s`, %s, %s connections: failed: %s' % (name, curve, '{:,}'.format(n),
                                                                   error[:200]))
    dropped = sum(agg['n_dropped'] for agg in results.values())
    if dropped:
        notes.append('%d run(s) disturbed by other load were left out of the medians (an '
                     'undisturbed run of the same server and count exists)' % dropped)
    return notes


def dump(path, samples, meta):
    """Write every sample with the run's metadata as JSON."""
    with open(path, 'w') as f:
        json.dump({'meta': meta, 'samples': {'%s/%d/%s' % k: v for k, v in samples.items()}},
                  f, indent=1)


def load(path):
    """Samples and metadata of a --json dump."""
    with open(path) as f:
        data = json.load(f)
    samples = {}
    for key, value in data['samples'].items():
        curve, n, name = key.split('/')
        samples[(curve, int(n), name)] = value
    return samples, data['meta']


def measure(args, notes):
    """Run the curves; (samples, meta)."""
    servers = choose_servers(args.only, notes)
    if not servers:
        sys.exit('no server to run')
    for tool in ('taskset', args.cc):
        if shutil.which(tool) is None:
            sys.exit('%s is required' % tool)
    nofile = raise_nofile(max(args.sizes + args.active) + FD_MARGIN)
    sizes = fitting(args.sizes, nofile, 'idle counts', notes)
    actives = fitting(args.active, nofile, 'active counts', notes)
    loadgen = build(args.cc, any(s.name == 'c_epoll' for s in servers))
    print('gnet growth: %d servers × %d counts × %d pass(es); about %.0f s' % (
        len(servers), len(sizes) + len(actives), args.passes,
        estimate(args, len(servers), sizes, actives)), file=sys.stderr, flush=True)
    started, t0 = datetime.datetime.now(datetime.timezone.utc), time.monotonic()
    samples = run_curves(args, servers, sizes, actives, loadgen)
    meta = {'date': started.strftime('%Y-%m-%d %H:%M UTC'), 'elapsed': time.monotonic() - t0,
            'command_line': args.command_line, 'passes': args.passes, 'warmup': args.warmup,
            'seconds': args.seconds, 'sizes': sizes, 'actives': actives,
            'servers': [s.name for s in servers], 'notes': list(notes), 'machine': machine_info()}
    return samples, meta


def write_outputs(root, results, meta, notes):
    """The growth sections of RESULTS.md and performance.md, and the plot."""
    names, sizes, actives = meta['servers'], meta['sizes'], meta['actives']
    info = meta['machine']
    write_section(os.path.join(root, 'bench', 'RESULTS.md'),
                  results_section(results, names, sizes, actives, meta, info, notes))
    image = os.path.join(root, 'docs', IMAGE)
    drawn = plot(results, names, sizes, actives, image, title='gnet growth, %s' % meta['date'])
    if not drawn:
        print('NOTE: matplotlib is not importable: the plot docs/%s was NOT regenerated '
              '(the tables were written; install matplotlib and run again, or re-render a --json dump '
              'with --from-json)'
              % IMAGE, file=sys.stderr)
    kept = drawn or os.path.exists(image)
    write_section(os.path.join(root, 'docs', 'performance.md'),
                  docs_section(results, names, sizes, actives, meta, IMAGE if kept else None,
                               stale=kept and not drawn))
    print('wrote bench/RESULTS.md, docs/performance.md%s under %s'
          % (', docs/' + IMAGE if drawn else '', root), file=sys.stderr)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    notes = []
    if args.from_json:
        samples, meta = load(args.from_json)
    else:
        samples, meta = measure(args, notes)
    if args.json and not args.from_json:
        dump(args.json, samples, meta)
    results = {key: summarize(ss) for key, ss in samples.items()}
    notes = meta['notes'] + run_notes(results)
    print('\n'.join(report_lines(results, meta['servers'], meta['sizes'], meta['actives'], meta,
                                 meta['machine'], notes)))
    if args.write_results:
        write_outputs(args.root, results, meta, notes)
    wrong = [(k, s['error']) for k, ss in samples.items() for s in ss
             if s.get('error', '').startswith(CORRECTNESS)]
    for key, error in wrong:
        print('%s in %s: %s' % (CORRECTNESS, '/'.join(map(str, key)), error), file=sys.stderr)
    return 3 if wrong else 0


if __name__ == '__main__':
    sys.exit(main())
