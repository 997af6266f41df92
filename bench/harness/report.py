"""The report: medians, spreads, ratios, flags, and the markdown tables.

Owns: turning samples into text.  Runs nothing.
"""

import shlex
import statistics

from .catalog import FOREIGN_FLAG_PCT, LOADGEN_CORE, LOADGEN_FLAG_PCT, SERVER_CORE


def fmt(value, unit=''):
    if value is None:
        return '—'
    if unit in ('rt/s', 'conn/s', 'hs/s') or abs(value) >= 1000:
        return '{:,.0f}'.format(value)
    if abs(value) >= 100:
        return '{:.0f}'.format(value)
    if abs(value) >= 10:
        return '{:.1f}'.format(value)
    return '{:.2f}'.format(value)


def med(samples, key):
    vals = [s[key] for s in samples if s.get(key) is not None]
    return statistics.median(vals) if vals else None


def summarize(samples):
    """Aggregates of one (workload, transport, server)'s samples.

    Runs disturbed by other processes are left out when at least one
    undisturbed run exists; otherwise all runs count and the row is flagged."""
    ok = [s for s in samples if 'error' not in s]
    clean = [s for s in ok if (s.get('foreign_pct') or 0) <= FOREIGN_FLAG_PCT]
    used = clean or ok
    out = {'n': len(used), 'n_ok': len(ok), 'n_dropped': len(ok) - len(used),
           'errors': [s['error'] for s in samples if 'error' in s], 'samples': used}
    if not used:
        return out
    vals = [s['value'] for s in used]
    out.update(median=statistics.median(vals), lo=min(vals), hi=max(vals))
    for key in ('cpu_per_op_us', 'server_core_pct', 'loadgen_core_pct', 'loadgen_cpu_pct',
                'foreign_pct', 'p50_us', 'p99_us'):
        out[key] = med(used, key)
    # the generator's own CPU (getrusage): its core's busy time also counts other processes
    out['lg_max'] = max((s.get('loadgen_cpu_pct') or 0) for s in used)
    out['foreign_max'] = max((s.get('foreign_pct') or 0) for s in used)
    return out


def ratio(value, ref):
    if value is None or not ref:
        return '—'
    return '{:.2f}×'.format(value / ref)


def workload_table(workload, transport, servers, results):
    rows = []
    title = '### %s — %s' % (workload.title, transport.upper())
    if workload.mode == 'idle':
        head = ('| server | KiB/conn (median) | spread (min–max) | × gevent | × Node '
                '| RSS before → with conns (MiB) | flags |')
        rows += [title, '', head, '|' + '---|' * 7]
    else:
        lat = ' p50 / p99 latency (µs) |' if workload.mode in ('pingpong', 'connrate', 'tls-handshake') else ''
        head = ('| server | %s (median) | spread (min–max) | × gevent | × Node | server CPU %s |%s'
                ' server core busy | loadgen core busy | flags |'
                % (workload.unit, workload.cpu_unit, lat))
        rows += [title, '', head, '|' + '---|' * (head.count('|') - 1)]
    ref_gevent, ref_node = workload.refs   # raw gevent and Node net, or their TLS servers
    refs = {name: results.get((workload.name, transport, name), {}).get('median')
            for name in (ref_gevent, ref_node)}
    for server in servers:
        agg = results.get((workload.name, transport, server.name))
        if agg is None:
            continue
        if 'median' not in agg:
            rows.append('| %s | failed: %s |' % (server.label, '; '.join(agg['errors'])[:200]))
            continue
        flags = []
        if agg['errors']:
            flags.append('%d failed run(s)' % len(agg['errors']))
        if agg['n_dropped']:
            flags.append('%d disturbed run(s) left out' % agg['n_dropped'])
        spread = '%s–%s' % (fmt(agg['lo'], workload.unit), fmt(agg['hi'], workload.unit))
        if workload.mode == 'idle':
            s = agg['samples'][0] if agg.get('samples') else {}
            rss = '%.1f → %.1f' % (med(agg['samples'], 'rss_base_kib') / 1024,
                                   med(agg['samples'], 'rss_kib') / 1024) if s else '—'
            rows.append('| %s | %s | %s | %s | %s | %s | %s |' % (
                server.label, fmt(agg['median']), spread, ratio(agg['median'], refs[ref_gevent]),
                ratio(agg['median'], refs[ref_node]), rss, ', '.join(flags)))
            continue
        value = fmt(agg['median'], workload.unit)
        if agg['lg_max'] > LOADGEN_FLAG_PCT:
            flags.append('load generator ≥%d%% busy: figure is a floor' % LOADGEN_FLAG_PCT)
            value = '≥' + value
        if agg['foreign_max'] > FOREIGN_FLAG_PCT:
            flags.append('every run disturbed by other load (up to %.0f%% of a core)'
                         % agg['foreign_max'])
        lat = ''
        if workload.mode in ('pingpong', 'connrate', 'tls-handshake'):
            lat = ' %s / %s |' % (fmt(agg['p50_us']), fmt(agg['p99_us']))
        rows.append('| %s | %s | %s | %s | %s | %s |%s %.0f%% | %.0f%% (own %.0f%%) | %s |' % (
            server.label, value, spread, ratio(agg['median'], refs[ref_gevent]),
            ratio(agg['median'], refs[ref_node]), fmt(agg['cpu_per_op_us']), lat,
            agg['server_core_pct'], agg['loadgen_core_pct'], agg['loadgen_cpu_pct'],
            ', '.join(flags)))
    return rows


def summary_table(workloads, transports, servers, results):
    cols = [(w, t) for w in workloads for t in transports]
    head = '| server | ' + ' | '.join(
        '%s%s (%s)' % (w.name, '' if len(transports) == 1 else ' ' + t, w.unit)
        for w, t in cols) + ' |'
    rows = ['`≥`: the load generator was over %d%% busy, the figure is a floor; `*`: '
            'every run disturbed by other load.' % LOADGEN_FLAG_PCT, '',
            head, '|' + '---|' * (len(cols) + 1)]
    for server in servers:
        if not any((w.name, t, server.name) in results for w, t in cols):
            continue  # a server of the other kind (TLS / plain)
        cells = []
        for w, t in cols:
            agg = results.get((w.name, t, server.name))
            if agg is None or 'median' not in agg:
                cells.append('—' if agg is None else 'failed')
                continue
            ref_name = w.refs[0]
            ref = results.get((w.name, t, ref_name), {}).get('median')
            cell = fmt(agg['median'], w.unit)
            if w.mode != 'idle' and agg['lg_max'] > LOADGEN_FLAG_PCT:
                cell = '≥' + cell
            if agg.get('foreign_max', 0) > FOREIGN_FLAG_PCT:
                cell += '*'
            if ref and server.name != ref_name:
                cell += ' (%.2f× gevent)' % (agg['median'] / ref)
            cells.append(cell)
        rows.append('| %s | %s |' % (server.label, ' | '.join(cells)))
    return rows


def report(args, workloads, transports, servers, results, info, notes, started, elapsed):
    lines = ['# gnet benchmark results', '',
             'Date: %s (run took %.0f s)  ' % (started.strftime('%Y-%m-%d %H:%M UTC'), elapsed),
             'Machine: %s, %s cores, Linux %s; Python %s, gevent %s, Node %s  ' % (
                 info['cpu'], info['cores'], info['kernel'], info['python'], info['gevent'],
                 info['node']),
             'Command: `%s`  ' % ' '.join(shlex.quote(a) for a in args.command_line),
             'Method: server pinned to core %d, load generator (bench/loadgen.c, C/epoll) to core %d, '
             'a fresh server per run, %.1f s warm-up + %.1f s measured, %d pass(es) with the '
             'servers interleaved within each pass; medians with the min–max spread over the '
             'passes; ratios are median ÷ median of raw gevent and of Node (for KiB/conn lower '
             'is better, for the rest higher is better).' % (
                 SERVER_CORE, LOADGEN_CORE, args.warmup, args.seconds, args.passes),
             '', '## Summary', '']
    lines += summary_table(workloads, transports, servers, results)
    lines += ['', '## Per workload', '']
    for w in workloads:
        for t in transports:
            lines += workload_table(w, t, servers, results) + ['']
    if notes:
        lines += ['## Notes', ''] + ['- ' + n for n in notes] + ['']
    lines += ['Columns are explained in bench/README.md. gnet is being optimized; figures for '
              'gnet are a snapshot of the tree at the date above.', '',
              '## Other result files', '',
              '- [RESULTS-micro.md](RESULTS-micro.md): `BlockList.check` and the stream state '
              'machine, in-process.',
              '- [RESULTS-cluster.md](RESULTS-cluster.md): `gnet.cluster` with 1 and 2 workers, '
              'round-robin and `exclusive`.', '']
    return '\n'.join(lines)


def result_notes(results):
    """Notes for the report about dropped, disturbed and load-generator-bound runs."""
    notes = []
    dropped = sum(agg.get('n_dropped', 0) for agg in results.values())
    if dropped:
        notes.append('%d run(s) disturbed by other processes (over %d%% of a core) were left out '
                     'of the medians, since an undisturbed run of the same server and workload '
                     'exists' % (dropped, FOREIGN_FLAG_PCT))
    if any(agg.get('foreign_max', 0) > FOREIGN_FLAG_PCT for agg in results.values()):
        notes.append('rows flagged "every run disturbed" saw other processes using the CPU in '
                     'each of their runs: those figures are lower than on a quiet machine')
    if any(agg.get('lg_max', 0) > LOADGEN_FLAG_PCT for agg in results.values()):
        notes.append('where the load generator was over %d%% busy the figure is a floor '
                     'for the server (marked ≥)' % LOADGEN_FLAG_PCT)
    return notes
