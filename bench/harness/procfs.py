"""Sampling /proc: process CPU and RSS, per-core busy time, kernel threads' CPU.

Owns: reading /proc.  Starts no process.
"""

import os
import time

from .catalog import QUIET_BUSY_PCT

CLK_TCK = os.sysconf('SC_CLK_TCK')


def _stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (field 3 onwards)."""
    with open('/proc/%s/stat' % pid) as f:
        return f.read().rsplit(')', 1)[1].split()


def process_tree(pid):
    """``pid`` and its live descendants (a cluster server's workers), ``pid`` first."""
    children = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            try:
                children.setdefault(int(_stat_fields(name)[1]), []).append(int(name))
            except (OSError, IndexError):
                continue                           # exited meanwhile
    tree, todo = [], [pid]
    while todo:
        each = todo.pop()
        tree.append(each)
        todo.extend(children.get(each, ()))
    return tree


def proc_cpu_ticks(pid):
    """utime+stime of a process and its live descendants (all threads), in clock ticks.

    A server that is one process counts alone; a cluster's primary counts
    with its workers."""
    total = 0
    for each in process_tree(pid):
        try:
            fields = _stat_fields(each)
        except OSError:
            if each == pid:
                raise
            continue                               # a worker that exited meanwhile
        total += int(fields[11]) + int(fields[12])
    return total


def _rss_kib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    raise RuntimeError('no VmRSS for %d' % pid)


def proc_rss_kib(pid):
    """VmRSS of a process plus its live descendants' (a cluster's workers), in KiB."""
    total = _rss_kib(pid)
    for each in process_tree(pid)[1:]:
        try:
            total += _rss_kib(each)
        except (OSError, RuntimeError):
            continue
    return total


def kernel_thread_ticks():
    """CPU ticks of the kernel's threads (ksoftirqd, kworkers: children of kthreadd).

    Loopback traffic is partly processed there, so it is not counted as
    foreign load."""
    total = 0
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % name) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if fields[1] == '2':                       # ppid: kthreadd
            total += int(fields[11]) + int(fields[12])
    return total


def cores_busy():
    """{core: (busy_ticks, total_ticks)} from /proc/stat."""
    out = {}
    with open('/proc/stat') as f:
        for line in f:
            if line.startswith('cpu') and line[3].isdigit():
                parts = line.split()
                vals = [int(v) for v in parts[1:]]
                total = sum(vals[:8])               # guest time is already in user
                idle = vals[3] + vals[4]            # idle + iowait
                out[int(parts[0][3:])] = (total - idle, total)
    return out


def busy_pct(before, after, core):
    b0, t0 = before[core]
    b1, t1 = after[core]
    return 100.0 * (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0


def wait_quiet(max_wait):
    """Wait (bounded) until the machine is idle; returns (busy %, seconds waited)."""
    start = time.monotonic()
    while True:
        a = cores_busy()
        time.sleep(0.2)
        b = cores_busy()
        busy = sum(busy_pct(a, b, c) for c in a)
        waited = time.monotonic() - start
        if busy < QUIET_BUSY_PCT or waited >= max_wait:
            return busy, waited
        time.sleep(0.5)
