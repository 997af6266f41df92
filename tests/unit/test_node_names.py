"""The Node names written in the source (tools/node_names.py) are exactly gnet.naming's rule.

Type checkers see only the aliases written out as assignments
(``setNoDelay = set_no_delay``); the runtime rule is :mod:`gnet.naming`'s.
These tests read the source and the live classes and require the two to
agree both ways: every alias the rule gives a class is an assignment in the
body of the class defining the attribute (so it is visible statically, with
that attribute's type), and every assignment written there is one the rule
gives (nothing extra).  The same for ``gnet/__init__.py``'s names.
"""

import ast
import importlib.util
import inspect
import os
import subprocess
import sys

import pytest

import gnet
from gnet import naming

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL_PATH = os.path.join(ROOT, 'tools', 'node_names.py')


def load_tool():
    spec = importlib.util.spec_from_file_location('node_names', TOOL_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = load_tool()
NODE_CLASSES = tool.decorated_classes()


def written_aliases(node, marker=tool.MARKER):
    """``{alias: name}`` of the ``alias = name`` statements after the marker in
    ``node``'s body (a class, or the module), from the source text."""
    source = ast.get_source_segment(SOURCES[node], node) if isinstance(node, ast.ClassDef) else None
    lines = (source or '').splitlines()
    found = {}
    after = False
    for line in lines:
        after = after or line.strip() == marker
        stripped = line.strip()
        if after and ' = ' in stripped and not stripped.startswith('#'):
            alias, name = stripped.split(' = ')
            found[alias] = name
    return found


SOURCES = {}


def class_node(cls):
    """The ast.ClassDef of ``cls`` (its module's source parsed once)."""
    path = inspect.getsourcefile(cls)
    if path not in SOURCES:
        with open(path, encoding='utf-8') as f:
            SOURCES[path] = f.read()
    for node in ast.parse(SOURCES[path]).body:
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            SOURCES[node] = SOURCES[path]
            return node
    raise AssertionError('no class %s in %s' % (cls.__name__, path))


def classes_with_names():
    """Every gnet class in the MRO of a ``@node_aliases`` class."""
    seen = []
    for cls in NODE_CLASSES:
        for klass in cls.__mro__[:-1]:
            if klass not in seen:
                seen.append(klass)
    return seen


def test_the_tool_finds_the_node_classes():
    names = {cls.__name__ for cls in NODE_CLASSES}
    assert {'Socket', 'Server', 'BlockList', 'SocketAddress', 'EventEmitter', 'Readable',
            'Writable', 'Duplex', 'AbortSignal', 'Process'} <= names


@pytest.mark.parametrize('cls', classes_with_names(), ids=lambda c: c.__qualname__)
def test_the_source_of_each_class_holds_exactly_its_aliases(cls):
    rule = dict(naming.own_aliases(cls))
    written = written_aliases(class_node(cls))
    assert written == rule, 'run python tools/node_names.py'


@pytest.mark.parametrize('cls', NODE_CLASSES, ids=lambda c: c.__qualname__)
def test_every_runtime_alias_is_written_where_its_attribute_is(cls):
    """Along the MRO: the alias resolves to the attribute, and the class that
    defines the attribute has the assignment (so the decorator set nothing)."""
    for klass in cls.__mro__[:-1]:
        for alias, name in naming.own_aliases(klass):
            owner = next(k for k in cls.__mro__ if name in vars(k))
            assert naming.getattr_static(cls, alias) is naming.getattr_static(cls, name), alias
            assert written_aliases(class_node(owner)).get(alias) == name, (owner, alias)
    every_alias = {alias for alias, _ in naming.alias_pairs(dir(cls))}
    extra = [n for n in vars(cls) if n in every_alias and n not in dict(naming.own_aliases(cls))]
    assert not extra, 'set at runtime, not written in the class: %s' % extra


def test_the_module_names_are_written_and_exported():
    with open(tool.PACKAGE_INIT, encoding='utf-8') as f:
        source = f.read()
    rule = dict(tool.module_pairs(source))
    lines = source[source.index(tool.MARKER):].splitlines()
    written = dict(line.split(' = ') for line in lines if ' = ' in line and '__all__' not in line)
    assert written == rule
    assert {'createServer', 'createConnection', 'isIPv4', 'setTimeout'} <= set(rule)
    for alias, name in rule.items():
        assert getattr(gnet, alias) is getattr(gnet, name) and alias in gnet.__all__, alias
    assert len(gnet.__all__) == len(set(gnet.__all__))


def test_check_mode_passes_on_the_tree():
    out = subprocess.run([sys.executable, TOOL_PATH, '--check'], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_render_restores_a_missing_alias_and_drops_an_extra_one():
    from gnet.net import socket_base
    with open(socket_base.__file__, encoding='utf-8') as f:
        good = f.read()
    pairs = {'SocketBase': naming.own_aliases(socket_base.SocketBase)}
    assert tool.render(good, pairs) == good
    missing = good.replace('    setNoDelay = set_no_delay\n', '')
    extra = good.replace('    setNoDelay = set_no_delay\n',
                         '    setNoDelay = set_no_delay\n    setNoDelayed = set_no_delay\n')
    assert missing != good and extra != good
    assert tool.render(missing, pairs) == good
    assert tool.render(extra, pairs) == good


def test_strip_removes_every_block_and_only_blocks():
    with open(tool.PACKAGE_INIT, encoding='utf-8') as f:
        lines = f.readlines()
    stripped = tool._without_blocks(lines)
    text = ''.join(stripped)
    assert tool.MARKER not in text and 'createServer = ' not in text
    assert text.rstrip('\n') == ''.join(lines[:lines.index(tool.MARKER + '\n')]).rstrip('\n')


def test_a_slot_field_gets_no_alias():
    class Fields:
        __slots__ = ('need_drain',)

        def get_buffer(self):
            return []
    assert naming.own_aliases(Fields) == [('getBuffer', 'get_buffer')]


def test_the_decorator_names_the_override_of_a_users_subclass():
    @naming.node_aliases
    class Mine(gnet.Socket):
        def set_no_delay(self, no_delay=True):
            return self

    assert Mine.setNoDelay is Mine.__dict__['set_no_delay']
    assert Mine.setKeepAlive is gnet.Socket.set_keep_alive  # inherited: left to the base's alias
    assert 'setKeepAlive' not in vars(Mine)
    assert gnet.Socket.setNoDelay is gnet.Socket.set_no_delay
