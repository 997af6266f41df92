"""The architecture's import rules, checked by parsing the modules' imports.

* the stream state machines and pure modules import no gevent, greenlet or socket;
* interfaces.py imports nothing from gnet;
* only the loop, handle, runner and server/socket modules touch gevent.
"""

import ast
import os

import pytest

import gnet

PACKAGE = os.path.dirname(gnet.__file__)

PURE = ['streams/base', 'streams/readable', 'streams/writable', 'streams/duplex', 'streams/pipe',
        'streams/encodings', 'events', 'errors', 'naming', 'net/args', 'net/ip', 'net/blocklist',
        'net/socketaddress', 'interfaces', 'abort']
FORBIDDEN = {'gevent', 'greenlet', 'socket', '_socket', 'select', 'selectors'}


def imported_modules(name):
    with open(os.path.join(PACKAGE, name + '.py'), encoding='utf-8') as f:
        tree = ast.parse(f.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = '.' * node.level + (node.module or '')
            yield base, node.lineno


@pytest.mark.parametrize('module', PURE)
def test_pure_modules_import_no_io(module):
    bad = [(name, line) for name, line in imported_modules(module)
           if name.split('.')[0] in FORBIDDEN]
    assert not bad, '%s imports %s' % (module, bad)


def test_interfaces_imports_nothing_from_gnet():
    assert all(not name.startswith('.') and not name.startswith('gnet')
               for name, _ in imported_modules('interfaces'))


def test_modules_stay_small():
    sizes = {}
    for folder, _, entries in os.walk(PACKAGE):
        for entry in entries:
            if entry.endswith('.py'):
                with open(os.path.join(folder, entry), encoding='utf-8') as f:
                    sizes[entry] = sum(1 for _ in f)
    too_big = {k: v for k, v in sizes.items() if v > 800}
    assert not too_big
