"""Running the benchmark: servers and load generator as child processes.

Owns: starting, reading and killing processes (every wait has a deadline,
every process is killed at the end of its run), one run of one server on one
workload, re-runs of disturbed runs, and the interleaved pass matrix.
"""

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time

from .catalog import FOREIGN_FLAG_PCT, LOADGEN_CORE, REPO, SERVER_CORE
from .procfs import (CLK_TCK, busy_pct, cores_busy, kernel_thread_ticks, proc_cpu_ticks,
                     proc_rss_kib, wait_quiet)
from .report import fmt
from .tlspki import make_credential

#: seconds between the last idle connection and the RSS reading: gnet retires an idle
#: connection's greenlet after one to two seconds and trims the heap one sweep later
IDLE_SETTLE_S = 5.0


class LineReader:
    """Lines from a child's stdout with a deadline per wait."""

    def __init__(self, proc):
        self.proc = proc
        self.buf = b''
        self.sel = selectors.DefaultSelector()
        self.sel.register(proc.stdout, selectors.EVENT_READ)
        self.eof = False

    def readline(self, timeout):
        deadline = time.monotonic() + timeout
        while b'\n' not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or self.eof:
                return None
            if self.sel.select(min(left, 0.5)):
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    self.eof = True
                self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return line.decode('utf-8', 'replace').strip()

    def close(self):
        self.sel.close()


def kill(proc, grace=3.0):
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    except ProcessLookupError:
        pass


def tail(path, n=6):
    try:
        with open(path, errors='replace') as f:
            return ' | '.join(f.read().strip().splitlines()[-n:])
    except OSError:
        return ''


class RunError(Exception):
    pass


#: the start of a run's error when the server echoed wrong bytes or a TLS handshake failed
CORRECTNESS = 'CORRECTNESS FAILURE'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_server(server, transport, tmpdir, errpath, tls_files=None):
    if transport == 'tcp':
        target = ['--port', str(free_port())]
    else:
        target = ['--path', os.path.join(tmpdir, 'echo-%s.sock' % server.name)]
    argv = ['taskset', '-c', str(SERVER_CORE)] + server.argv + target
    if server.kind == 'tls':
        argv += ['--cert', tls_files[0], '--key', tls_files[1]]
    err = open(errpath, 'wb')
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                            cwd=REPO, bufsize=0)
    err.close()
    reader = LineReader(proc)
    line = reader.readline(30.0)
    while line is not None and line != 'ready':
        line = reader.readline(30.0)
    if line != 'ready':
        reader.close()
        kill(proc)
        raise RunError('server did not print ready: %s' % tail(errpath))
    return proc, reader, target


def loadgen_argv(loadgens, workload, target, args, idle_n):
    """The load generator's command line; ``loadgens`` maps a workload kind to its binary."""
    argv = ['taskset', '-c', str(LOADGEN_CORE), loadgens[workload.kind], '--mode', workload.mode]
    argv += ['--host', '127.0.0.1'] + target if target[0] == '--port' else target
    if workload.mode == 'idle':
        argv += ['--idle', str(idle_n), '--hold', '300', '--setup-timeout', '120']
    else:
        argv += ['--warmup', str(args.warmup), '--seconds', str(args.seconds),
                 '--setup-timeout', '30']
        for key, value in workload.params.items():
            argv += ['--%s' % key, str(value)]
    return argv


def run_timed(srv_proc, lg_argv, args, errpath):
    """A timed workload: returns the sample dict."""
    err = open(errpath, 'ab')
    lg = subprocess.Popen(lg_argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                          bufsize=0)
    err.close()
    reader = LineReader(lg)
    marks = {}
    result = None
    try:
        limit = time.monotonic() + args.warmup + args.seconds + 60
        while result is None:
            line = reader.readline(max(0.1, limit - time.monotonic()))
            if line is None:
                raise RunError('load generator gave no result (rc=%s): %s'
                               % (lg.poll(), tail(errpath)))
            if line in ('WARM_END', 'MEASURE_END'):
                marks[line] = (time.monotonic(), proc_cpu_ticks(srv_proc.pid), cores_busy(),
                               kernel_thread_ticks())
            elif line.startswith('RESULT '):
                result = json.loads(line[7:])
        lg.wait(10)
        if lg.returncode != 0:
            raise RunError('load generator exit %s: %s' % (lg.returncode, tail(errpath)))
    finally:
        reader.close()
        kill(lg, 1.0)
        if lg.poll() == 3:  # loadgen/tlsloadgen: wrong bytes echoed, or a failed handshake
            raise RunError('%s: load generator exit 3: %s' % (CORRECTNESS, tail(errpath)))
    if srv_proc.poll() is not None:
        raise RunError('server died during the run: %s' % tail(errpath))
    if not result.get('ops') and not result.get('bytes'):
        raise RunError('no progress: the server echoed nothing in the measured window')
    if set(marks) != {'WARM_END', 'MEASURE_END'}:
        raise RunError('load generator skipped its phase marks')
    (t0, c0, s0, k0), (t1, c1, s1, k1) = marks['WARM_END'], marks['MEASURE_END']
    server_cpu = (c1 - c0) / CLK_TCK
    kernel_s = (k1 - k0) / CLK_TCK
    lg_cpu = result['cpu_user_s'] + result['cpu_sys_s']
    both_busy_s = sum((s1[c][0] - s0[c][0]) for c in s0) / CLK_TCK
    wall = result['measured_s']
    sample = {
        'value': result['mbps'] if 'mbps' in result else result['rate'],
        'ops': result.get('ops', result.get('bytes', 0) / 1e6),
        'server_cpu_s': server_cpu,
        'server_core_pct': busy_pct(s0, s1, SERVER_CORE),
        'loadgen_core_pct': busy_pct(s0, s1, LOADGEN_CORE),
        'loadgen_cpu_pct': 100.0 * lg_cpu / wall if wall else 0.0,
        'foreign_pct': 100.0 * max(0.0, both_busy_s - server_cpu - lg_cpu - kernel_s) / (t1 - t0),
        'kernel_threads_pct': 100.0 * kernel_s / (t1 - t0),
        'p50_us': result.get('p50_us'),
        'p99_us': result.get('p99_us'),
        'errors': result.get('errors', 0),
    }
    if result.get('cipher'):
        sample['cipher'] = result['cipher']  # TLS: protocol, cipher suite, key exchange group
    ops = sample['ops']
    sample['cpu_per_op_us'] = 1e6 * server_cpu / ops if ops else None
    return sample


def run_idle(srv_proc, lg_argv, idle_n, errpath):
    time.sleep(0.5)
    base = proc_rss_kib(srv_proc.pid)
    err = open(errpath, 'ab')
    lg = subprocess.Popen(lg_argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.PIPE,
                          bufsize=0)
    err.close()
    reader = LineReader(lg)
    try:
        line = reader.readline(150.0)
        while line is not None and not line.startswith('ESTABLISHED'):
            line = reader.readline(150.0)
        if line is None:
            raise RunError('idle: no ESTABLISHED line: %s' % tail(errpath))
        established = int(line.split()[1])
        # steady state: gnet retires the greenlet of a connection idle for one
        # to two reaping intervals (gnet/runtime/runner.py REAP_INTERVAL_MS = 1 s)
        time.sleep(IDLE_SETTLE_S)
        with_conns = proc_rss_kib(srv_proc.pid)
        lg.stdin.write(b'close\n')
        lg.stdin.close()
        result = None
        while result is None:
            line = reader.readline(30.0)
            if line is None:
                break
            if line.startswith('RESULT '):
                result = json.loads(line[7:])
        lg.wait(10)
    finally:
        reader.close()
        kill(lg, 1.0)
    if srv_proc.poll() is not None:
        raise RunError('server died during the idle run: %s' % tail(errpath))
    if established < idle_n:
        raise RunError('only %d of %d idle connections established' % (established, idle_n))
    return {'value': (with_conns - base) / established, 'rss_base_kib': base,
            'rss_kib': with_conns, 'established': established,
            'setup_s': result.get('setup_s') if result else None}


def run_one(server, workload, transport, args, loadgens, tmpdir, idle_n):
    errpath = os.path.join(tmpdir, 'stderr-%s-%s.txt' % (server.name, workload.name))
    quiet, waited = wait_quiet(args.quiet_wait)
    srv = reader = None
    try:
        srv, reader, target = start_server(server, transport, tmpdir, errpath,
                                           loadgens.get('tls_files'))
        argv = loadgen_argv(loadgens, workload, target, args, idle_n)
        if workload.mode == 'idle':
            sample = run_idle(srv, argv, idle_n, errpath)
        else:
            sample = run_timed(srv, argv, args, errpath)
        sample['busy_before_pct'] = quiet
        sample['waited_quiet_s'] = waited
        return sample
    finally:
        if reader is not None:
            reader.close()
        kill(srv)
        if transport == 'unix':
            for name in os.listdir(tmpdir):
                if name.endswith('.sock'):
                    try:
                        os.unlink(os.path.join(tmpdir, name))
                    except OSError:
                        pass


def run_with_retries(server, w, t, args, loadgens, tmpdir, idle_n, budget, label):
    """One sample; a run disturbed by other load is re-run while the budget lasts."""
    sample = None
    for attempt in range(1 + args.retries):
        t0 = time.monotonic()
        try:
            s = run_one(server, w, t, args, loadgens, tmpdir, idle_n)
        except (RunError, OSError, ValueError, subprocess.SubprocessError) as e:
            s = {'error': str(e)}
        if attempt:
            budget[0] -= time.monotonic() - t0
        if s.get('error', '').startswith(CORRECTNESS):
            return s  # never re-run away a wrong echo or a failed handshake
        if sample is None or 'error' in sample or (
                s.get('foreign_pct', 0) < sample.get('foreign_pct', 0)):
            sample = s
        if (sample.get('foreign_pct', 0) <= FOREIGN_FLAG_PCT or attempt == args.retries
                or budget[0] <= 0):
            break
        print('%s disturbed (other load %.0f%% of a core): again' % (
            label, s.get('foreign_pct', 0)), file=sys.stderr, flush=True)
    return sample


def run_matrix(args, servers, workloads, transports, loadgens, idle_n):
    """Every pass × workload × transport × server of the workload's kind (TLS workloads run
    on the TLS servers, the others on the rest); {(workload, transport, server): [sample]}.
    ``loadgens`` maps a workload kind to its load generator."""
    samples = {}
    budget = [args.retry_budget]          # seconds left for re-runs of disturbed runs
    loadgens = dict(loadgens)
    with tempfile.TemporaryDirectory(prefix='gnet-bench-') as tmpdir:
        if any(s.kind == 'tls' for s in servers) and any(w.kind == 'tls' for w in workloads):
            loadgens['tls_files'] = make_credential(tmpdir)   # never written into the tree
        for p in range(args.passes):
            for w in workloads:
                kind_servers = [s for s in servers if s.kind == w.kind]
                for t in transports:
                    k = p % max(1, len(kind_servers))
                    for server in kind_servers[k:] + kind_servers[:k]:   # rotate per pass
                        label = 'pass %d %-10s %-4s %-16s' % (p + 1, w.name, t, server.name)
                        sample = run_with_retries(server, w, t, args, loadgens, tmpdir, idle_n,
                                                  budget, label)
                        samples.setdefault((w.name, t, server.name), []).append(sample)
                        print(label + ' ' + describe_sample(sample, w), file=sys.stderr,
                              flush=True)
    return samples


def describe_sample(sample, w):
    if 'error' in sample:
        return 'ERROR ' + sample['error']
    text = '%s %s' % (fmt(sample['value'], w.unit), w.unit)
    if sample.get('waited_quiet_s', 0) >= 1:
        text += ' [waited %.0f s for a quiet machine]' % sample['waited_quiet_s']
    if 'loadgen_core_pct' in sample:
        text += ' (server core %.0f%%, loadgen core %.0f%%, other %.0f%%)' % (
            sample['server_core_pct'], sample['loadgen_core_pct'], sample['foreign_pct'])
    return text
