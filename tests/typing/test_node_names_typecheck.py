"""Type checkers accept a Node program ported with Node's names, and refuse a misspelt one.

``node_echo.py`` (Node's echo server and a client, written with
``net.createServer``, ``sock.setNoDelay``, ``server.maxConnections``, ...)
must pass ``mypy --strict`` and, when pyright is installed, ``pyright`` in
strict mode.  The same program with one misspelt camelCase name and one
property alias given the wrong type must fail, naming both: so the checkers
see the aliases with their types, and these tests can fail.

gnet is checked as a user sees it once installed: imported, its own
errors not reported (mypy's ``--follow-imports=silent``; pyright reports only
the files given).  Requires mypy (the ``test`` extra); pyright is optional.
"""

import importlib.util
import json
import os
import re
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAM = os.path.join(HERE, 'node_echo.py')

#: (what the bad program says instead, the name a checker must complain about)
MISTAKES = [
    ('sock.setNoDelay(True)', 'sock.setNoDelya(True)', 'setNoDelya'),
    ('server.maxConnections = 10\n', "server.maxConnections = 'ten'\n", 'maxConnections'),
]


@pytest.fixture(scope='module')
def bad_program(tmp_path_factory):
    """``(path, {name: 1-based line of its mistake})`` of the misspelt program."""
    with open(PROGRAM, encoding='utf-8') as f:
        text = f.read()
    for good, bad, _ in MISTAKES:
        assert text.count(good) == 1, good
        text = text.replace(good, bad)
    lines = text.splitlines()
    where = {name: next(i + 1 for i, line in enumerate(lines) if bad.strip() in line)
             for _, bad, name in MISTAKES}
    path = tmp_path_factory.mktemp('bad') / 'node_echo_bad.py'
    path.write_text(text, encoding='utf-8')
    return str(path), where


def run(args, cwd):
    env = dict(os.environ, MYPYPATH=ROOT, PYTHONPATH=ROOT)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def mypy(path, tmp_path):
    """``mypy --strict path``, outside the repository (none of its configuration applies)."""
    if importlib.util.find_spec('mypy') is None:
        pytest.fail('mypy is not installed: it is in the test extra (pip install -e .[test])')
    return run([sys.executable, '-m', 'mypy', '--strict', '--follow-imports=silent',
                '--no-error-summary', '--cache-dir', str(tmp_path / 'cache'), path], str(tmp_path))


def pyright(args, tmp_path):
    """``pyright args`` with JSON output, outside the repository (the program itself
    asks for strict mode: ``# pyright: strict``)."""
    if importlib.util.find_spec('pyright') is None:
        pytest.skip('pyright is not installed (pip install pyright): optional')
    version = run([sys.executable, '-m', 'pyright', '--version'], str(tmp_path))
    if version.returncode != 0:  # the pip package fetches its node runtime on first use
        pytest.skip('pyright cannot start: %s' % (version.stderr or version.stdout).strip()[-300:])
    return run([sys.executable, '-m', 'pyright', '--outputjson', '--pythonpath', sys.executable,
                *args], str(tmp_path))


@pytest.mark.timeout(300)
def test_the_ported_program_runs():
    out = run([sys.executable, PROGRAM], ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    seen = json.loads(out.stdout)
    assert seen['echo'] == 'hello' and seen['blocked'] and seen['server.remote']
    assert seen['maxConnections'] == 10 and seen['client.bytesWritten'] == 5


@pytest.mark.timeout(300)
def test_mypy_strict_accepts_the_node_names(tmp_path):
    out = mypy(PROGRAM, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.timeout(300)
def test_mypy_strict_rejects_a_misspelt_name_and_a_wrong_type(tmp_path, bad_program):
    path, where = bad_program
    out = mypy(path, tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    errors = {}
    for line in out.stdout.splitlines():
        match = re.match(r'.*?:(\d+): error: (.*)', line)
        if match:
            errors.setdefault(int(match.group(1)), []).append(match.group(2))
    assert sorted(errors) == sorted(where.values()), out.stdout
    assert re.search(r'has no attribute "setNoDelya".*\[attr-defined\]',
                     ' '.join(errors[where['setNoDelya']])), out.stdout
    assert re.search(r'Incompatible types in assignment .*"str".*"(int \| None|Optional\[int\])"',  # old mypy: Optional
                     ' '.join(errors[where['maxConnections']])), out.stdout


def pyright_errors(out):
    report = json.loads(out.stdout)
    return [d for d in report['generalDiagnostics'] if d['severity'] == 'error']


@pytest.mark.timeout(300)
def test_pyright_strict_accepts_the_node_names(tmp_path):
    out = pyright([PROGRAM], tmp_path)
    assert out.returncode == 0 and not pyright_errors(out), out.stdout + out.stderr


@pytest.mark.timeout(300)
def test_pyright_rejects_a_misspelt_name_and_a_wrong_type(tmp_path, bad_program):
    path, where = bad_program
    out = pyright([path], tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    errors = {}
    for error in pyright_errors(out):  # pyright counts lines from 0
        errors.setdefault(error['range']['start']['line'] + 1, []).append(error['message'])
    for name, line in where.items():
        assert any(name in message for message in errors.get(line, [])), (name, out.stdout)


#: ``pyright --verifytypes gnet`` (public symbols with a known type); 0.724 before issue 19,
#: 0.987 after it -- what is left is zope.interface's untyped ``Interface`` under gnet.interfaces
MIN_TYPE_COMPLETENESS = 0.95


@pytest.mark.timeout(300)
def test_pyright_public_type_completeness(tmp_path):
    out = pyright(['--verifytypes', 'gnet', '--ignoreexternal'], tmp_path)
    score = json.loads(out.stdout)['typeCompleteness']['completenessScore']
    assert score >= MIN_TYPE_COMPLETENESS, score
