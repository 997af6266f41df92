"""The documentation site builds strictly, and strict mode catches a broken reference.

mkdocs.yml builds docs/, the README and the docstrings into a site with
``mkdocs build --strict``: any warning fails the build.  These tests build the
real site, then copies of it with one broken reference each, and check that
the build fails naming it.  They need the 'docs' extra (``pip install
'.[docs]'``), which the test extra does not include: without it they are
skipped, and CI builds the site in ``tox -e docs``.
"""

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = ('mkdocs', 'mkdocstrings', 'mkdocstrings_handlers.python', 'material')

missing = [name for name in TOOLS if importlib.util.find_spec(name.split('.')[0]) is None
           or importlib.util.find_spec(name) is None]
pytestmark = [
    pytest.mark.skipif(bool(missing), reason="the docs tools are not installed (%s): pip install '.[docs]'; "
                       'CI builds the site in tox -e docs' % ', '.join(missing)),
    pytest.mark.timeout(180),
]


def build(root, site):
    """``mkdocs build --strict`` of the project at ``root``: (exit status, output)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING='1')
    done = subprocess.run(
        [sys.executable, '-m', 'mkdocs', 'build', '--strict', '--config-file', os.path.join(root, 'mkdocs.yml'),
         '--site-dir', str(site)],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return done.returncode, done.stdout


def copy_project(dest):
    """What the site is built from: mkdocs.yml, docs/, the hooks, the package, the pages it publishes."""
    for name in ('docs', 'tools', 'gnet'):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(dest, name),
                        ignore=shutil.ignore_patterns('__pycache__'))
    for name in ('mkdocs.yml', 'README.md', 'CHANGELOG.md'):
        shutil.copy(os.path.join(ROOT, name), dest)
    os.mkdir(os.path.join(dest, 'bench'))
    for name in os.listdir(os.path.join(ROOT, 'bench')):
        if name.endswith('.md'):
            shutil.copy(os.path.join(ROOT, 'bench', name), os.path.join(dest, 'bench'))
    return dest


def edit(path, old, new):
    with open(path, encoding='utf8') as f:
        text = f.read()
    assert old in text, '%s no longer has %r: choose another place to break' % (path, old)
    with open(path, 'w', encoding='utf8') as f:
        f.write(text.replace(old, new, 1))


def test_the_site_builds_strictly_with_the_api_reference(tmp_path):
    status, output = build(ROOT, tmp_path / 'site')
    assert status == 0, output
    assert 'WARNING' not in output, output
    with open(tmp_path / 'site' / 'reference' / 'gnet' / 'index.html', encoding='utf8') as f:
        page = f.read()
    for name in ('create_server', 'connect', 'Socket', 'Server', 'BlockList', 'run', 'once'):
        assert 'id="gnet.%s"' % name in page, 'the gnet reference has no entry for %s' % name
    assert 'id="gnet.Socket.write"' in page  # inherited members are listed
    # the README is the home page, its links to docs/ rewritten to the site's pages
    with open(tmp_path / 'site' / 'index.html', encoding='utf8') as f:
        home = f.read()
    assert 'href="porting/"' in home and 'href="docs/porting.md"' not in home


BROKEN = {
    'a link to a missing page': (
        'docs/api.md', '](design.md#the-interfaces)', '](desgin.md#the-interfaces)', 'desgin.md'),
    'a link to a missing anchor': (
        'docs/api.md', '](#uncaught-exceptions-process)', '](#uncaught-exception)', "'#uncaught-exception'"),
    'a cross-reference to an unknown identifier': (
        'docs/reference/gnet.md', 'the [API guide](../api.md)', 'the [API guide][gnet.create_sever]',
        "'gnet.create_sever'"),
    'a docstring role naming nothing': (
        'gnet/runtime/executor.py', ':meth:`Executor.pump`', ':meth:`Executor.pmup`', ':meth:`Executor.pmup`'),
}


def test_strict_build_fails_naming_each_broken_reference(tmp_path):
    """A copy of the project with every kind of breakage at once: mkdocs
    reports each warning, then strict mode aborts the build on them."""
    root = copy_project(tmp_path / 'project')
    for page, old, new, _ in BROKEN.values():
        edit(os.path.join(root, page), old, new)
    status, output = build(str(root), tmp_path / 'site')
    assert status != 0, 'the strict build passed with broken references:\n%s' % output
    assert 'Aborted with' in output and 'in strict mode' in output, output
    warnings = [line for line in output.splitlines() if line.startswith('WARNING')]
    for case, (_, _, _, named) in BROKEN.items():
        assert any(named in line for line in warnings), 'no warning names %s (%s):\n%s' % (named, case, output)
