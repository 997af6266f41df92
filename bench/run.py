#!/usr/bin/env python3
"""The gnet benchmark against its peers (issue 8): one command runs it all.

    /work/venv/bin/python bench/run.py                    # everything, 3 passes
    /work/venv/bin/python bench/run.py --quick            # a short smoke run
    /work/venv/bin/python bench/run.py --workloads pp64x100,bulk64kx1,conn16 --write-results

Builds bench/loadgen.c with the machine's C compiler, then for every pass,
workload and transport runs each echo server fresh (pinned to core 0 with
``taskset -c 0``) against the load generator (pinned to core 1), interleaving
the servers within each pass.  It samples the server's CPU time
(/proc/PID/stat utime+stime), both cores' busy time (/proc/stat) and the
load generator's own CPU time over the measured window only, and reports
medians, min-max spreads and ratios to raw gevent and to Node as markdown.
See bench/README.md for the columns and the caveats.

Everything is bounded in time; every server and load generator is killed at
the end of its run, even on error.  Only loopback and temp-dir Unix sockets.
"""

import argparse
import datetime
import json
import os
import shutil
import sys
import time

from harness.catalog import HERE, SERVER_BY_NAME, SERVERS, WORKLOAD_BY_NAME, WORKLOADS
from harness.machine import build, build_tls, machine_info, raise_nofile
from harness.report import report, result_notes, summarize
from harness.runner import CORRECTNESS, run_matrix
from harness.tlsreport import merge_results, tls_section


def load_dump(path):
    """Samples and metadata from a --json dump."""
    with open(path) as f:
        dump = json.load(f)
    samples = {tuple(k.split('/')): v for k, v in dump['samples'].items()}
    return samples, dump['meta']


def set_idle_title(workloads, idle_n):
    for w in workloads:
        if w.mode == 'idle':
            w.title = 'idle connections (%s): server RSS per connection' % '{:,}'.format(idle_n)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--passes', type=int, default=3, help='passes over all servers (default 3)')
    p.add_argument('--seconds', type=float, default=5.0, help='measured seconds per run (5)')
    p.add_argument('--warmup', type=float, default=1.0, help='warm-up seconds per run (1)')
    p.add_argument('--quick', action='store_true',
                   help='smoke run: 1 pass, 0.3 s warm-up, 1 s measured, 1,000 idle connections')
    p.add_argument('--only', help='comma-separated servers (%s)' % ','.join(SERVER_BY_NAME))
    p.add_argument('--workloads', help='comma-separated workloads (%s)' % ','.join(WORKLOAD_BY_NAME))
    p.add_argument('--transport', choices=('tcp', 'unix', 'both'), default='tcp')
    p.add_argument('--idle-conns', type=int, default=10000, help='idle connections (10,000)')
    p.add_argument('--ceiling', action='store_true', help='also run the C epoll echo server')
    p.add_argument('--quiet-wait', type=float, default=10.0,
                   help='seconds to wait at most for an idle machine before each run (10)')
    p.add_argument('--retries', type=int, default=1,
                   help='re-runs of a run disturbed by other load (1); the least disturbed is kept')
    p.add_argument('--retry-budget', type=float, default=120.0,
                   help='seconds that re-runs may take in all (120), to bound the total time')
    p.add_argument('--from-json', help='render the report from a --json dump instead of running')
    p.add_argument('--cc', default=os.environ.get('CC', 'cc'), help='C compiler (cc)')
    p.add_argument('--write-results', action='store_true', help='rewrite bench/RESULTS.md')
    p.add_argument('--json', help='also dump every sample to this JSON file')
    args = p.parse_args(argv)
    args.command_line = ['bench/run.py'] + list(argv)
    if args.quick:
        args.passes, args.warmup, args.seconds = 1, 0.3, 1.0
        if '--idle-conns' not in ' '.join(argv):
            args.idle_conns = 1000
    return args


def choose(args, notes):
    """The servers and workloads asked for (exits on an unknown name)."""
    if args.only:
        names = args.only.split(',')
        unknown = [n for n in names if n not in SERVER_BY_NAME]
        if unknown:
            sys.exit('unknown server(s): %s' % ', '.join(unknown))
        servers = [SERVER_BY_NAME[n] for n in names]
    else:
        servers = [s for s in SERVERS if not s.optional or (s.name == 'c_epoll' and args.ceiling)]
    for s in [s for s in servers if not s.available()]:
        notes.append('%s skipped: `%s` not found' % (s.label, s.needs))
    servers = [s for s in servers if s.available()]
    if args.workloads:
        unknown = [n for n in args.workloads.split(',') if n not in WORKLOAD_BY_NAME]
        if unknown:
            sys.exit('unknown workload(s): %s' % ', '.join(unknown))
        workloads = [WORKLOAD_BY_NAME[n] for n in args.workloads.split(',')]
    else:
        workloads = list(WORKLOADS)
    kinds = {s.kind for s in servers}
    for w in [w for w in workloads if w.kind not in kinds]:
        if args.workloads:
            notes.append('%s skipped: no %s server chosen' % (w.name, w.kind.upper()))
    workloads = [w for w in workloads if w.kind in kinds]
    return servers, workloads


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    notes = []
    for tool in ('taskset', args.cc):
        if shutil.which(tool) is None:
            sys.exit('%s is required' % tool)
    if (os.cpu_count() or 1) < 2:
        notes.append('fewer than 2 cores: server and load generator share a core')
    servers, workloads = choose(args, notes)
    transports = ['tcp', 'unix'] if args.transport == 'both' else [args.transport]

    nofile = raise_nofile(args.idle_conns + 200)
    idle_n = args.idle_conns
    if any(w.mode == 'idle' for w in workloads) and nofile < idle_n + 200:
        idle_n = max(100, nofile - 200)
        notes.append('RLIMIT_NOFILE hard limit is %d: idle workload uses %d connections instead '
                     'of %d' % (nofile, idle_n, args.idle_conns))

    info = machine_info()
    loadgens = {}
    if not args.from_json:
        loadgens['net'] = build(args.cc, any(s.name == 'c_epoll' for s in servers))
        if any(w.kind == 'tls' for w in workloads):
            loadgens['tls'], why = build_tls(args.cc)
            if why:
                notes.append('TLS workloads skipped: %s' % why)
                print('gnet bench: %s; TLS workloads skipped' % why, file=sys.stderr)
                workloads = [w for w in workloads if w.kind != 'tls']
    if not args.from_json:
        per_run = args.warmup + args.seconds + 2.5
        estimate = sum(args.passes * len(transports) * len([s for s in servers if s.kind == w.kind])
                       * (20 if w.mode == 'idle' else per_run) for w in workloads)
        print('gnet bench: %d servers × %d workloads × %d transport(s) × %d passes; about %.0f s'
              % (len(servers), len(workloads), len(transports), args.passes, estimate),
              file=sys.stderr, flush=True)

    if args.from_json:
        samples, meta = load_dump(args.from_json)
        started = datetime.datetime.fromisoformat(meta['started'])
        elapsed, info = meta['elapsed'], meta['machine']
        args.command_line = meta['command_line']
        for key in ('passes', 'seconds', 'warmup'):
            setattr(args, key, meta[key])
        present = [{k[i] for k in samples} for i in range(3)]
        workloads = [w for w in workloads if w.name in present[0]]
        transports = [t for t in ('tcp', 'unix') if t in present[1]]
        servers = [s for s in SERVERS if s.name in present[2]]
        notes.append('report rendered from the run\'s sample dump with `bench/run.py --from-json`')
    else:
        started = datetime.datetime.now(datetime.timezone.utc)
        t_start = time.monotonic()
        samples = run_matrix(args, servers, workloads, transports, loadgens, idle_n)
        elapsed = time.monotonic() - t_start
        meta = {'started': started.isoformat(), 'elapsed': elapsed, 'machine': info,
                'command_line': args.command_line, 'passes': args.passes,
                'seconds': args.seconds, 'warmup': args.warmup, 'idle_conns': idle_n}
    set_idle_title(workloads, meta.get('idle_conns', idle_n))

    results = {key: summarize(ss) for key, ss in samples.items()}
    notes += result_notes(results)
    net_w = [w for w in workloads if w.kind == 'net']
    tls_w = [w for w in workloads if w.kind == 'tls']
    net_text = tls_text = None
    if net_w or not tls_w:
        net_text = report(args, net_w, transports, [s for s in servers if s.kind == 'net'],
                          results, info, notes, started, elapsed)
        print(net_text)
    if tls_w:
        tls_text = tls_section(args, tls_w, transports, [s for s in servers if s.kind == 'tls'],
                               results, info, notes, started, elapsed)
        print(tls_text)
    if args.json and not args.from_json:
        with open(args.json, 'w') as f:
            json.dump({'meta': meta, 'samples': {'%s/%s/%s' % k: v for k, v in samples.items()}},
                      f, indent=1)
    if args.write_results:
        path = os.path.join(HERE, 'RESULTS.md')
        existing = ''
        if os.path.exists(path):
            with open(path) as f:
                existing = f.read()
        with open(path, 'w') as f:
            f.write(merge_results(existing, net_text, tls_text))
        print('wrote bench/RESULTS.md', file=sys.stderr)
    wrong = [(k, s['error']) for k, ss in samples.items() for s in ss
             if s.get('error', '').startswith(CORRECTNESS)]
    for key, error in wrong:
        print('%s in %s: %s' % (CORRECTNESS, '/'.join(key), error), file=sys.stderr)
    return 3 if wrong else 0


if __name__ == '__main__':
    sys.exit(main())
