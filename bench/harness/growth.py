"""The growth curves of bench/growth.py: how per-connection cost grows with the count.

Owns: the curves' figures (medians per connection count and server), flatness,
the markdown tables, the sections between the growth markers in bench/RESULTS.md
and docs/performance.md, and the plot.  Runs no process.

Results are keyed ``(curve, n, server_name)``, ``curve`` being IDLE (server
RSS per idle connection, n open connections) or ACTIVE (64 B ping-pong over n
connections), each mapped to report.summarize()'s aggregate.
"""

import os
import shlex

from .catalog import FOREIGN_FLAG_PCT, LOADGEN_FLAG_PCT
from .report import fmt

BEGIN, END = '<!-- growth:begin -->', '<!-- growth:end -->'
IDLE, ACTIVE = 'idle', 'active'
#: the connection count that flatness is measured against, when it was measured
BASE_SIZE = 1000


def figures(results, curve, server, key='median'):
    """{n: figure} of one server on one curve, for the counts with a figure."""
    out = {}
    for (c, n, name), agg in results.items():
        if c == curve and name == server and agg.get(key) is not None:
            out[n] = agg[key]
    return dict(sorted(out.items()))


def flatness(points, base=BASE_SIZE):
    """How flat a {n: KiB/conn} curve is, or None with no points.

    ``max_min``: largest ÷ smallest figure (None unless all are positive);
    ``base``: the count compared against (``base`` if measured, else the
    smallest); ``lo_pct``/``hi_pct``: the lowest and highest figure as a
    percentage difference from the base count's (None if that is not positive)."""
    if not points:
        return None
    base = base if base in points else min(points)
    lo, hi, ref = min(points.values()), max(points.values()), points[base]
    return {'max_min': hi / lo if lo > 0 else None, 'base': base,
            'lo_pct': 100.0 * (lo / ref - 1) if ref > 0 else None,
            'hi_pct': 100.0 * (hi / ref - 1) if ref > 0 else None}


def fmt_pct(value):
    """A signed whole percentage with a true minus sign: +12%, −3%, 0%."""
    rounded = round(value)
    if rounded == 0:
        return '0%'
    return '%s%d%%' % ('+' if rounded > 0 else '−', abs(rounded))


def fmt_spread(flat):
    """The flatness row's cell for the spread from the base count."""
    if flat is None or flat['lo_pct'] is None:
        return '—'
    lo, hi = fmt_pct(flat['lo_pct']), fmt_pct(flat['hi_pct'])
    return lo if lo == hi else '%s … %s' % (lo, hi)


def marks(agg, curve):
    """'*' when every run was disturbed by other load; '†' (ping-pong) when the load
    generator was over LOADGEN_FLAG_PCT busy, so its own queueing is in the latency."""
    out = '*' if (agg.get('foreign_max') or 0) > FOREIGN_FLAG_PCT else ''
    if curve == ACTIVE and (agg.get('lg_max') or 0) > LOADGEN_FLAG_PCT:
        out += '†'
    return out


def cell(results, curve, n, server, keys):
    """One table cell: the aggregate's ``keys`` joined by ' / ', '—' if not run, 'failed'."""
    agg = results.get((curve, n, server))
    if agg is None:
        return '—'
    if 'median' not in agg:
        return 'failed'
    return ' / '.join(fmt(agg.get(k)) for k in keys) + marks(agg, curve)


def grid(results, curve, servers, counts, first, keys):
    """A markdown table: one row per count, one column per server."""
    rows = ['| %s | %s |' % (first, ' | '.join('`%s`' % s for s in servers)),
            '|' + '---:|' * (len(servers) + 1)]
    for n in counts:
        rows.append('| {:,} | {} |'.format(n, ' | '.join(cell(results, curve, n, s, keys)
                                                      for s in servers)))
    return rows


def idle_table(results, servers, sizes):
    """Connections → KiB per idle connection, with the two flatness rows below."""
    rows = grid(results, IDLE, servers, sizes, 'connections', ('median',))
    flats = [flatness(figures(results, IDLE, s)) for s in servers]
    bases = {f['base'] for f in flats if f}
    ratio = ['—' if not f or f['max_min'] is None else '%.2f×' % f['max_min'] for f in flats]
    rows.append('| **max ÷ min** | %s |' % ' | '.join(ratio))
    label = 'vs {:,}'.format(bases.pop()) if len(bases) == 1 else 'vs the smallest count'
    rows.append('| **%s** | %s |' % (label, ' | '.join(fmt_spread(f) for f in flats)))
    return rows


def latency_table(results, servers, actives):
    """Active connections → p50 / p99 latency per server."""
    return grid(results, ACTIVE, servers, actives, 'active connections', ('p50_us', 'p99_us'))


def cpu_table(results, servers, actives):
    """Active connections → server CPU µs per round trip per server."""
    return grid(results, ACTIVE, servers, actives, 'active connections', ('cpu_per_op_us',))


def tables(results, servers, sizes, actives, level='###'):
    """The three tables with their headings and the legend, as lines."""
    base = 'the 1,000 figure' if BASE_SIZE in sizes else 'the smallest count\'s figure'
    return [
        '%s Idle connections: server RSS per connection (KiB), TCP' % level, '',
        *idle_table(results, servers, sizes), '',
        '**max ÷ min**: largest ÷ smallest KiB/conn over the counts; **vs**: the lowest and '
        'highest KiB/conn as a difference from %s (1.00× and 0%% are a flat curve).' % base, '',
        '%s Ping-pong 64 B: p50 / p99 latency (µs), TCP' % level, '',
        *latency_table(results, servers, actives), '',
        '%s Ping-pong 64 B: server CPU per round trip (µs), TCP' % level, '',
        *cpu_table(results, servers, actives), '',
        '`*`: every run disturbed by other load (over %d%% of a core); `†`: the load generator '
        'was over %d%% busy, so its own queueing is part of the latency; `—`: not run; '
        '`failed`: see the notes.' % (FOREIGN_FLAG_PCT, LOADGEN_FLAG_PCT), '']


def header(meta, info):
    """Date, machine, command and method lines of a section."""
    return [
        'Date: %s (run took %.0f s)  ' % (meta['date'], meta['elapsed']),
        'Machine: %s, %s cores, Linux %s; Python %s, gevent %s, Node %s  ' % (
            info['cpu'], info['cores'], info['kernel'], info['python'], info['gevent'],
            info['node']),
        'Command: `%s`  ' % ' '.join(shlex.quote(a) for a in meta['command_line']),
        'Method: a fresh server per count and server (pinned with `taskset` as in '
        '`bench/run.py`), TCP over loopback with client sources spread over 127.0.0.2–65; '
        'idle: server RSS with the connections open minus before, ÷ connections, as the '
        '`idle10k` workload; ping-pong: %.1f s warm-up + %.1f s measured; %d pass(es), the '
        'servers interleaved at each count; medians over the passes.' % (
            meta['warmup'], meta['seconds'], meta['passes']), '']


def report_lines(results, servers, sizes, actives, meta, info, notes):
    """The growth report: heading, date, machine, command, method, tables, notes."""
    lines = ['## Growth: per-connection cost against the connection count', '']
    lines += header(meta, info) + tables(results, servers, sizes, actives)
    if notes:
        lines += ['### Growth notes', ''] + ['- ' + n for n in notes] + ['']
    return lines


def results_section(results, servers, sizes, actives, meta, info, notes):
    """bench/RESULTS.md's growth section, markers included."""
    lines = report_lines(results, servers, sizes, actives, meta, info, notes)
    return '\n'.join([BEGIN, ''] + lines + [END]) + '\n'


def docs_section(results, servers, sizes, actives, meta, image, stale=False):
    """docs/performance.md's growth section (plot and tables), markers included; ``image``
    is the plot's path relative to docs/, or None to leave the plot out; ``stale``: the
    plot is from an earlier run than the tables."""
    lines = [BEGIN, '', '## How per-connection cost grows', '',
             'From `%s` (%s; details and notes in [`bench/RESULTS.md`](../bench/RESULTS.md)): '
             'idle memory per connection from %s to %s connections, and ping-pong latency '
             'with %s active connections, one fresh server per count.' % (
                 ' '.join(meta['command_line']), meta['date'], '{:,}'.format(min(sizes)),
                 '{:,}'.format(max(sizes)), ', '.join('{:,}'.format(n) for n in actives)), '']
    if image:
        lines += ['![KiB per idle connection and p99 latency against the connection count, '
                  'per server](%s)' % image, '']
        if stale:
            lines += ['*The plot is from an earlier run than the tables below (matplotlib was '
                      'not available to redraw it).*', '']
    lines += tables(results, servers, sizes, actives)
    return '\n'.join(lines + [END]) + '\n'


def replace_section(text, section):
    """``text`` with the part from BEGIN to END (both lines) replaced by ``section``, or
    with ``section`` appended after a blank line when there are no markers.  A lone or
    misordered marker raises ValueError rather than losing text."""
    start, stop = text.find(BEGIN), text.find(END)
    if start < 0 and stop < 0:
        return text.rstrip('\n') + '\n\n' + section if text.strip() else section
    if start < 0 or stop < start or text.count(BEGIN) > 1 or text.count(END) > 1:
        raise ValueError('growth markers are unbalanced: expected one %s before one %s'
                         % (BEGIN, END))
    stop += len(END)
    if text[stop:stop + 1] == '\n':
        stop += 1
    return text[:start] + section + text[stop:]


def write_section(path, section):
    """Replace (or append) the growth section of the file at ``path``."""
    text = ''
    if os.path.exists(path):
        with open(path, encoding='utf8') as f:
            text = f.read()
    with open(path, 'w', encoding='utf8') as f:
        f.write(replace_section(text, section))


def plot(results, servers, sizes, actives, path, title=''):
    """The two-panel PNG at ``path``; False (nothing written) without matplotlib."""
    try:
        import matplotlib
        import matplotlib.ticker
        matplotlib.use('Agg')
        from matplotlib import pyplot as plt
    except ImportError:
        return False
    fig, (mem, lat) = plt.subplots(1, 2, figsize=(11, 4.2))
    for server in servers:
        kib = figures(results, IDLE, server)
        if kib:
            mem.plot(list(kib), list(kib.values()), marker='o', label=server)
        p99 = {n: v for n, v in figures(results, ACTIVE, server, 'p99_us').items() if v > 0}
        if p99:
            lat.plot(list(p99), list(p99.values()), marker='o', label=server)
    mem.set(xlabel='idle connections', ylabel='server RSS per connection (KiB)',
            title='Idle memory per connection', xlim=(0, max(sizes) * 1.05))
    mem.set_ylim(bottom=0)
    lat.set(xlabel='active connections (log)', ylabel='p99 round-trip latency (µs, log)',
            title='Ping-pong 64 B, p99 latency', xscale='log', yscale='log')
    lat.set_xticks(actives, ['{:,}'.format(n) for n in actives])
    lat.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    plain = matplotlib.ticker.FuncFormatter(lambda v, _: '{:,.0f}'.format(v))
    lat.yaxis.set_major_formatter(plain)
    lat.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())  # 2..9 × 10^k unlabelled
    for ax in (mem, lat):
        ax.grid(True, alpha=0.3)
        if ax.lines:
            ax.legend(fontsize='small')
    if title:
        fig.suptitle(title, fontsize='medium')
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    fig.savefig(path, dpi=100, metadata={'Software': None})
    plt.close(fig)
    return True
