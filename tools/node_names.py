"""Write gnet's Node names (camelCase aliases) into its source, and check them.

:mod:`gnet.naming` owns the rule (which names get an alias, and how it is
spelled); this tool writes its result out as plain assignments, so that mypy
and pyright see every alias with the type of what it names:

- in the body of every class decorated with ``@node_aliases`` and of every gnet
  class in its MRO, one block at the end of the body, for the attributes that
  class defines itself (``setNoDelay = set_no_delay``; a property's alias is
  the property, a method's has its signature);
- at the end of ``gnet/__init__.py`` and ``gnet/tls/__init__.py``, one block for the names of ``__all__``
  (``createServer = create_server``) and their ``__all__`` entries.

Each block starts with :data:`MARKER`; everything from the marker to the end
of the class body (of the module) belongs to the tool.

    python tools/node_names.py           # rewrite the blocks that are stale
    python tools/node_names.py --check   # exit 1, naming the stale files

``tests/unit/test_node_names.py`` fails when a block is stale.
"""

import ast
import importlib
import inspect
import os
import pkgutil
import sys
import textwrap
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

MARKER = "# Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit"
PACKAGE = os.path.join(ROOT, 'gnet')
PACKAGE_INIT = os.path.join(PACKAGE, '__init__.py')
#: the package modules whose ``__all__`` names get a module block
MODULE_INITS = (PACKAGE_INIT, os.path.join(PACKAGE, 'tls', '__init__.py'))


def strip_blocks() -> None:
    """Remove every block from gnet's source, text only (no import needed).

    A block naming an attribute that is gone stops gnet from importing; the
    tool then strips the blocks and runs again to write them anew.
    """
    for folder, _, names in os.walk(PACKAGE):
        for name in names:
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                with open(path, encoding='utf-8') as f:
                    lines = f.readlines()
                kept = _without_blocks(lines)
                if kept != lines:
                    with open(path, 'w', encoding='utf-8') as f:
                        f.writelines(kept)


def _without_blocks(lines: List[str]) -> List[str]:
    out: List[str] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != MARKER:
            out.append(lines[index])
            index += 1
            continue
        if out and not out[-1].strip():
            out.pop()
        index += 1
        while index < len(lines) and _in_block(lines[index]):
            index += 1
    return out


def _in_block(line: str) -> bool:
    text = line.strip()
    return (text.startswith("'") or text.startswith('__all__ +=') or text == ']'
            or (text.count(' = ') == 1 and text.replace(' = ', '_').isidentifier()))


try:
    import gnet
    from gnet import naming
except Exception as exc:  # noqa: BLE001 - a stale block: strip, run again
    if '--check' in sys.argv[1:] or os.environ.get('GNET_NODE_NAMES_STRIPPED'):
        raise SystemExit('gnet does not import (%r)%s' % (exc, '' if '--check' not in sys.argv[1:]
                         else ': run python tools/node_names.py')) from exc
    strip_blocks()
    os.environ['GNET_NODE_NAMES_STRIPPED'] = '1'  # once: an import error of another cause stops
    os.execv(sys.executable, [sys.executable] + sys.argv)

Pairs = List[Tuple[str, str]]  # (alias, name)


def gnet_modules() -> Iterator[object]:
    """gnet and every submodule (``__main__`` aside: importing it runs the CLI)."""
    yield gnet
    for info in pkgutil.walk_packages(gnet.__path__, 'gnet.'):
        if not info.name.endswith('__main__'):
            yield importlib.import_module(info.name)


def decorated_classes() -> List[type]:
    """The classes of gnet's source written with an ``@node_aliases`` decorator."""
    found = []
    for module in gnet_modules():
        tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(
                    ast.unparse(d).split('.')[-1] == 'node_aliases' for d in node.decorator_list):
                found.append(getattr(module, node.name))
    return found


def class_pairs() -> Dict[type, Pairs]:
    """``{class: its (alias, name) pairs}`` for every class that gets a block."""
    pairs: Dict[type, Pairs] = {}
    for cls in decorated_classes():
        for klass in cls.__mro__:
            if klass is object or klass in pairs:
                continue
            own = naming.own_aliases(klass)
            if own and not klass.__module__.split('.')[0] == 'gnet':
                raise SystemExit('%s: base %r has Node names, and is not gnet source' % (cls, klass))
            pairs[klass] = own
    return pairs


def module_pairs(init_source: str) -> Pairs:
    """The aliases of the names of a package module's ``__all__`` literal."""
    for node in ast.parse(init_source).body:
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ['__all__']:
            return naming.alias_pairs(ast.literal_eval(node.value))
    raise SystemExit('a package module without __all__ = [...]')


def assignments(pairs: Pairs, indent: str) -> List[str]:
    return ['%s%s = %s\n' % (indent, alias, name) for alias, name in pairs]


def class_block(pairs: Pairs) -> List[str]:
    if not pairs:
        return []
    return ['\n', '    ' + MARKER + '\n'] + assignments(pairs, '    ')


def module_block(pairs: Pairs) -> List[str]:
    names = ', '.join(repr(alias) for alias, _ in pairs)
    wrapped = textwrap.wrap(names, 96, initial_indent='    ', subsequent_indent='    ',
                            break_on_hyphens=False)
    return (['\n', MARKER + '\n'] + assignments(pairs, '') +
            ['__all__ += [\n'] + [line + '\n' for line in wrapped[:-1]] + [wrapped[-1] + ',\n', ']\n'])


def _block_start(lines: Sequence[str], first: int, last: int) -> Optional[int]:
    """Index of the marker line in ``lines[first:last]``, taking its blank line along."""
    for index in range(first, last):
        if lines[index].strip() == MARKER:
            return index - 1 if index > first and not lines[index - 1].strip() else index
    return None


def render(source: str, blocks: Dict[str, Pairs], module: Optional[Pairs] = None) -> str:
    """``source`` with the block of each class named in ``blocks`` (top-level
    class name -> pairs) and, if ``module`` is given, the module's block, made current."""
    lines = source.splitlines(keepends=True)
    classes = [node for node in ast.parse(source).body
               if isinstance(node, ast.ClassDef) and node.name in blocks]
    missing = set(blocks) - {node.name for node in classes}
    if missing:
        raise SystemExit('no top-level class %s in the source' % ', '.join(sorted(missing)))
    if module is not None:
        start = _block_start(lines, 0, len(lines))
        end = len(lines)
        lines[start if start is not None else end:end] = module_block(module)
    for node in sorted(classes, key=lambda n: -n.lineno):  # bottom up: line numbers stay valid
        end = node.end_lineno or node.lineno
        start = _block_start(lines, node.lineno, end)
        lines[start if start is not None else end:end] = class_block(blocks[node.name])
    return ''.join(lines)


def expected() -> Dict[str, str]:
    """``{path: current source with every block made current}`` of the files with blocks."""
    by_file: Dict[str, Dict[str, Pairs]] = {}
    for cls, pairs in class_pairs().items():
        if '.' in cls.__qualname__:
            raise SystemExit('%s: only top-level classes get a block' % cls.__qualname__)
        by_file.setdefault(inspect.getsourcefile(cls) or '', {})[cls.__name__] = pairs
    for init in MODULE_INITS:
        by_file.setdefault(init, {})
    out = {}
    for path, blocks in sorted(by_file.items()):
        with open(path, encoding='utf-8') as f:
            source = f.read()
        out[path] = render(source, blocks, module_pairs(source) if path in MODULE_INITS else None)
    return out


def stale() -> Dict[str, str]:
    """The files whose blocks are not current, with their current text."""
    found = {}
    for path, text in expected().items():
        with open(path, encoding='utf-8') as f:
            if f.read() != text:
                found[path] = text
    return found


def main(argv: Sequence[str]) -> int:
    files = stale()
    names = sorted(os.path.relpath(path, ROOT) for path in files)
    if '--check' in argv:
        if names:
            print('stale Node names (run python tools/node_names.py): ' + ', '.join(names))
        return 1 if names else 0
    for path, text in files.items():
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
    for name in names:
        print('wrote', name)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
