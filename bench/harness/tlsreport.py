"""The TLS section of the report (issue 20), and its place in bench/RESULTS.md.

Owns: the TLS summary (medians, ratios to Node's ``tls`` and to gevent's
``ssl``, server CPU per handshake / per MB), the negotiated protocol and
cipher, the issue's targets, and merging the section into RESULTS.md so a
run of the plain workloads keeps it (and a TLS-only run keeps the rest).
Runs nothing.
"""

import shlex

from .catalog import LOADGEN_CORE, LOADGEN_FLAG_PCT, SERVER_CORE
from .growth import BEGIN as GROWTH_BEGIN, END as GROWTH_END
from .report import fmt, workload_table

BEGIN = '<!-- TLS section: rewritten by bench/run.py runs with TLS workloads, kept by the others -->'
END = '<!-- end of the TLS section -->'
#: issue 20's targets: gnet ÷ Node, per workload mode
TARGETS = {'tls-handshake': 0.9, 'tls-bulk': 0.9}
GNET = 'gnet_tls'


def _ratio(results, w, t, name, ref):
    agg, base = results.get((w.name, t, name), {}), results.get((w.name, t, ref), {})
    if agg.get('median') is None or not base.get('median'):
        return None
    return agg['median'] / base['median']


def _ciphers(results, workloads, transports, servers):
    found = {}
    for server in servers:
        seen = sorted({s['cipher'] for w in workloads for t in transports
                       for s in results.get((w.name, t, server.name), {}).get('samples', [])
                       if s.get('cipher')})
        if seen:
            found[server.label] = ', '.join(seen)
    return found


def summary(workloads, transports, servers, results):
    cols = [(w, t) for w in workloads for t in transports]
    head = '| server |'
    for w, t in cols:
        name = w.name if len(transports) == 1 else '%s %s' % (w.name, t)
        head += ' %s (%s) | × Node | × gevent | server CPU %s |' % (name, w.unit, w.cpu_unit)
    rows = [head, '|' + '---|' * (1 + 4 * len(cols))]
    for server in servers:
        cells = []
        for w, t in cols:
            agg = results.get((w.name, t, server.name))
            if agg is None or 'median' not in agg:
                cells += ['—' if agg is None else 'failed', '—', '—', '—']
                continue
            gevent_ref, node_ref = w.refs
            value = fmt(agg['median'], w.unit)
            if agg['lg_max'] > LOADGEN_FLAG_PCT:
                value = '≥' + value
            rn = _ratio(results, w, t, server.name, node_ref)
            rg = _ratio(results, w, t, server.name, gevent_ref)
            cells += [value, '—' if rn is None else '%.2f×' % rn,
                      '—' if rg is None else '%.2f×' % rg, fmt(agg['cpu_per_op_us'])]
        rows.append('| %s | %s |' % (server.label, ' | '.join(cells)))
    return rows


def target_lines(workloads, transports, results):
    lines = []
    for w in workloads:
        goal = TARGETS.get(w.mode)
        for t in transports:
            node_ref = w.refs[1]
            r = _ratio(results, w, t, GNET, node_ref)
            if goal is None or r is None:
                continue
            gnet_cpu = results[(w.name, t, GNET)].get('cpu_per_op_us')
            node_cpu = results.get((w.name, t, node_ref), {}).get('cpu_per_op_us')
            cpu = ''
            if gnet_cpu and node_cpu:
                cpu = '; server CPU per op %.2f× Node\'s' % (gnet_cpu / node_cpu)
            lines.append('- %s %s: gnet %.2f× Node (target ≥ %.1f×): **%s**%s' % (
                w.name, t, r, goal, 'met' if r >= goal else 'missed', cpu))
    return lines


def tls_section(args, workloads, transports, servers, results, info, notes, started, elapsed):
    """The markdown of the TLS section (between the BEGIN and END markers)."""
    lines = [BEGIN, '', '## TLS (issue 20)', '',
             'Date: %s (run took %.0f s)  ' % (started.strftime('%Y-%m-%d %H:%M UTC'), elapsed),
             'Machine: %s, %s cores, Linux %s; Python %s (%s), gevent %s, Node %s (OpenSSL %s)  ' % (
                 info['cpu'], info['cores'], info['kernel'], info['python'],
                 info.get('openssl_python', '?'), info['gevent'], info['node'],
                 info.get('openssl_node', '?')),
             'Command: `%s`  ' % ' '.join(shlex.quote(a) for a in args.command_line),
             'Method: server pinned to core %d, load generator (bench/tlsloadgen.c, C/epoll/'
             'OpenSSL, TLS 1.3 only, default cipher suites and groups, no certificate '
             'verification, no session resumption) to core %d; one EC P-256 leaf certificate from '
             'a test PKI made at the start of the run; every server sets TCP no-delay; a fresh '
             'server per run, %.1f s warm-up + %.1f s measured, %d pass(es) with the servers '
             'interleaved within each pass and the order rotated between passes; medians with '
             'the min–max spread over the passes; ratios are median ÷ median of Node `tls` and '
             'of gevent `ssl`.' % (SERVER_CORE, LOADGEN_CORE, args.warmup, args.seconds,
                                    args.passes), '']
    ciphers = _ciphers(results, workloads, transports, servers)
    if ciphers:
        lines += ['Negotiated: ' + '; '.join('%s: %s' % kv for kv in ciphers.items()) + '.', '']
    lines += ['### TLS summary', '', '`≥`: the load generator was over %d%% busy (own CPU), '
              'the figure is a floor for that server.' % LOADGEN_FLAG_PCT, '']
    lines += summary(workloads, transports, servers, results) + ['']
    targets = target_lines(workloads, transports, results)
    if targets:
        lines += ['Targets of issue 20 (gnet `tls` ÷ Node `tls`, medians):', ''] + targets + ['']
    for w in workloads:
        for t in transports:
            lines += ['#' + row if row.startswith('### ') else row
                      for row in workload_table(w, t, servers, results)] + ['']
    if notes:
        lines += ['### TLS notes', ''] + ['- ' + n for n in notes] + ['']
    lines += [END, '']
    return '\n'.join(lines)


def _cut(text, begin, end):
    """(text without the block from ``begin`` to ``end``, the block) -- '' if absent."""
    if begin in text and end in text:
        start, stop = text.index(begin), text.index(end) + len(end)
        return text[:start] + text[stop:], text[start:stop].strip('\n') + '\n'
    return text, ''


def merge_results(existing, net_text, tls_text):
    """RESULTS.md's new text: each part this run rendered replaces its old self, the other
    parts stay as they were -- the plain workloads first, then the TLS section, then the
    growth curve (bench/growth.py's section, which bench/run.py never renders)."""
    rest, old_growth = _cut(existing, GROWTH_BEGIN, GROWTH_END)
    old_net, old_tls = _cut(rest, BEGIN, END)
    net = (net_text if net_text is not None else old_net).rstrip('\n') + '\n'
    parts = [net]
    for part in (tls_text if tls_text is not None else old_tls, old_growth):
        if part.strip():
            parts.append(part.strip('\n') + '\n')
    return '\n'.join(parts)
