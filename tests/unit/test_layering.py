"""The architecture's import rules, checked on the import graph of gnet's source.

Every module's imports are parsed -- top-level, inside functions (a lazy
import is still an import) and under ``if TYPE_CHECKING`` -- and relative
imports are resolved to absolute names.  ``from pkg import name`` is an edge
to ``pkg.name`` when that is a module, else to ``pkg``.  The rules
(docs/design.md, "The rules the tests enforce"):

1. no import circle among gnet's modules (the cycle is reported);
2. ``gnet/streams/`` imports no gevent, greenlet, socket, _socket, select or
   selectors, and nothing from ``gnet.net`` or ``gnet.runtime`` (the runtime
   plugs itself in through ``gnet.streams.hooks``);
3. ``gnet/net/handles/`` imports nothing from ``gnet.streams`` and neither
   the socket nor the server module (handles sit under them);
4. gevent and greenlet are imported only in ``gnet/runtime/``, ``gnet/net/``,
   ``gnet/proxy/``, ``gnet/cluster/`` and ``gnet/cli/`` (the command waits on
   stdin/stdout pipes and signals, which only gevent can do cooperatively);
5. ``gnet/interfaces.py`` imports nothing from gnet;
6. no module is longer than 500 lines.
"""

import ast
import os

import pytest

import gnet

PACKAGE = os.path.dirname(gnet.__file__)
MAX_LINES = 500
IO_MODULES = {'gevent', 'greenlet', 'socket', '_socket', 'select', 'selectors'}
GEVENT_ALLOWED = ('gnet.runtime', 'gnet.net', 'gnet.proxy', 'gnet.cluster', 'gnet.cli')


def module_files(package=PACKAGE):
    """``{module name: path}`` for every .py under ``package``."""
    found = {}
    for folder, _, names in os.walk(package):
        for name in names:
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                parts = os.path.relpath(path, os.path.dirname(package))[:-3].split(os.sep)
                if parts[-1] == '__init__':
                    parts.pop()
                found['.'.join(parts)] = path
    return found


def imports_of(module, path, known):
    """Yield ``(absolute module name, line)`` for every import in ``path``."""
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), path)
    is_package = path.endswith('__init__.py')
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split('.') if is_package else module.split('.')[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = '.'.join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ''
            for alias in node.names:
                child = '%s.%s' % (target, alias.name)
                yield (child if child in known else target), node.lineno


def import_graph(package=PACKAGE):
    files = module_files(package)
    return {name: sorted(set(imports_of(name, path, files))) for name, path in files.items()}


GRAPH = import_graph()


def find_cycle(graph):
    """One import circle among gnet modules as ``[a, b, ..., a]``, or None."""
    edges = {m: sorted({t for t, _ in targets if t in graph and t != m}) for m, targets in graph.items()}
    state = {}

    def visit(node, stack):
        state[node] = 'open'
        stack.append(node)
        for nxt in edges[node]:
            if state.get(nxt) == 'open':
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt, stack)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 'done'
        return None

    for start in sorted(edges):
        if start not in state:
            cycle = visit(start, [])
            if cycle:
                return cycle
    return None


def under(module, package):
    return module == package or module.startswith(package + '.')


def breaches(rule):
    return ['%s:%d imports %s' % (module, line, target)
            for module, targets in sorted(GRAPH.items()) for target, line in targets
            if rule(module, target)]


def test_the_graph_sees_lazy_and_relative_imports():
    # gnet.runtime's package imports the stream hooks relatively; the server
    # imports the PROXY gate; sync imports the stream pipe.
    assert 'gnet.streams.hooks' in {t for t, _ in GRAPH['gnet.runtime']}
    assert 'gnet.proxy.gate' in {t for t, _ in GRAPH['gnet.net.server']}
    assert 'gnet.streams.pipe' in {t for t, _ in GRAPH['gnet.runtime.sync']}


def test_find_cycle_reports_a_circle():
    graph = {'a': [('b', 1)], 'b': [('c', 1)], 'c': [('a', 1)], 'd': [('a', 1)]}
    assert find_cycle(graph) == ['a', 'b', 'c', 'a']
    assert find_cycle({'a': [('b', 1)], 'b': []}) is None


def test_no_import_circle():
    cycle = find_cycle(GRAPH)
    assert cycle is None, 'import circle: ' + ' -> '.join(cycle)


def test_streams_are_sans_io_and_below_the_runtime():
    bad = breaches(lambda m, t: under(m, 'gnet.streams') and (
        t.split('.')[0] in IO_MODULES or under(t, 'gnet.net') or under(t, 'gnet.runtime')))
    assert not bad, bad


def test_handles_sit_under_streams_sockets_and_servers():
    bad = breaches(lambda m, t: under(m, 'gnet.net.handles') and (
        under(t, 'gnet.streams') or t in ('gnet.net.socket', 'gnet.net.server')))
    assert not bad, bad


def test_gevent_only_in_the_io_packages():
    bad = breaches(lambda m, t: t.split('.')[0] in ('gevent', 'greenlet')
                   and not any(under(m, p) for p in GEVENT_ALLOWED))
    assert not bad, bad


def test_interfaces_imports_nothing_from_gnet():
    assert not [t for t, _ in GRAPH['gnet.interfaces'] if under(t, 'gnet')]


@pytest.mark.parametrize('module', sorted(GRAPH))
def test_module_stays_small(module):
    with open(module_files()[module], encoding='utf-8') as f:
        lines = sum(1 for _ in f)
    assert lines <= MAX_LINES, '%s has %d lines (limit %d)' % (module, lines, MAX_LINES)
