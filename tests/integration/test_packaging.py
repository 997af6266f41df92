"""The distribution: what the wheel and the sdist carry, and the metadata users see.

Builds both with setuptools' PEP 517 hooks (the backend pyproject.toml names;
the ``test`` extra installs it) from a clean copy of the tracked files, so
nothing left in the work tree (an egg-info, a build folder) can leak in.
"""

import email
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

import gnet
from proc_helpers import REPO

#: the name on the package index (``gnet`` there is another project)
DISTRIBUTION = 'gevent-net'


@pytest.fixture(scope='module')
def built(tmp_path_factory):
    """(wheel path, sdist path), built from the tracked files of this checkout."""
    if shutil.which('git') is None or not (REPO / '.git').exists():
        pytest.fail('the packaging test needs git and a git checkout')
    top = tmp_path_factory.mktemp('dist')
    source, out = top / 'source', top / 'out'
    files = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                           cwd=str(REPO), capture_output=True, check=True, timeout=60).stdout
    for name in filter(None, files.decode().split('\0')):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(str(REPO / name), str(source / name))
    out.mkdir()
    names = top / 'names'  # the hooks' answers (setuptools logs on stdout)
    script = ('import sys; from setuptools import build_meta as b; out, to = sys.argv[1:]; '
              'names = [b.build_wheel(out), b.build_sdist(out)]; '
              'open(to, "w").write(" ".join(names))')  # the hooks rewrite sys.argv
    result = subprocess.run([sys.executable, '-c', script, str(out), str(names)],
                            cwd=str(source), capture_output=True, timeout=300,
                            env=dict(os.environ, PYTHONDONTWRITEBYTECODE='1'))
    assert result.returncode == 0, result.stderr.decode('utf8', 'replace')[-3000:]
    wheel_name, sdist_name = names.read_text().split()
    return out / wheel_name, out / sdist_name


def test_the_wheel_is_named_and_versioned_from_one_place(built):
    wheel, sdist = built
    version = gnet.__version__
    assert wheel.name.startswith('gevent_net-%s-py3-none-any' % version)
    assert sdist.name == 'gevent_net-%s.tar.gz' % version


def test_the_wheel_carries_the_package_and_py_typed_but_no_tests(built):
    with zipfile.ZipFile(str(built[0])) as wheel:
        names = wheel.namelist()
    assert 'gnet/py.typed' in names and 'gnet/__init__.py' in names
    assert 'gnet/net/socket.py' in names and 'gnet/cli/main.py' in names
    tops = {name.split('/', 1)[0] for name in names}
    assert tops == {'gnet', 'gevent_net-%s.dist-info' % gnet.__version__}, tops


def test_the_wheel_metadata(built):
    with zipfile.ZipFile(str(built[0])) as wheel:
        info = 'gevent_net-%s.dist-info/' % gnet.__version__
        meta = email.message_from_bytes(wheel.read(info + 'METADATA'))
        entry_points = wheel.read(info + 'entry_points.txt').decode()
    assert meta['Name'] == DISTRIBUTION and meta['Version'] == gnet.__version__
    assert meta['Requires-Python'] == '>=3.10'
    assert meta['License-Expression'] == 'MIT'
    assert set(meta.get_all('Provides-Extra')) >= {'libuv', 'test'}
    requires = meta.get_all('Requires-Dist')
    for floor in ('gevent>=23.7.0', 'greenlet>=2.0.0', 'zope.interface>=5.5.0'):
        assert floor in requires, requires
    assert 'Typing :: Typed' in meta.get_all('Classifier')
    assert 'gnet = gnet.cli.main:main' in entry_points
    assert meta.get_payload().startswith('# gnet'), 'the README is the long description'


def test_the_sdist_carries_tests_docs_examples_and_benchmarks(built):
    with tarfile.open(str(built[1])) as sdist:
        names = {name.split('/', 1)[1] for name in sdist.getnames() if '/' in name}
    for needed in ('pyproject.toml', 'setup.py', 'README.md', 'CHANGELOG.md', 'LICENSE',
                   'tox.ini', 'pytest.ini', 'mkdocs.yml', 'gnet/py.typed', 'tests/conftest.py',
                   'tests/integration/test_packaging.py', 'docs/api.md',
                   'examples/echo_server.py', 'bench/run.py', '.ci/run'):
        assert needed in names, needed
    assert not any('__pycache__' in name or name.endswith('.pyc') for name in names)
