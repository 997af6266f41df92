"""Turn tox's ``--result-json`` file into the Markdown table of docs/matrix.md.

    tox run-parallel -p 2 --result-json result.json
    python .ci/matrix_table.py result.json [more.json ...] [--note TEXT] > docs/matrix.md

(several result files: their envs in order, as one table; --table-only: no
heading or introduction)

One row per env: Python, gevent, greenlet, zope.interface, the loop backend,
monkey patching, the result, the pytest summary and the env's wall time
(install included).
"""

import argparse
import json
import re
import sys


def pkg(installed, name):
    want = name.lower().replace('_', '.').replace('-', '.')
    for line in installed or ():
        n, _, version = line.partition('==')
        if n.lower().replace('_', '.').replace('-', '.') == want and version:
            return version
    return ''


def summary(env):
    """pytest's closing line ('585 passed, 2 skipped'), or ruff/mypy's."""
    for cmd in reversed(env.get('test') or ()):
        out = cmd.get('output', '') + cmd.get('err', '')
        m = re.findall(r'=+ (.*?) in [0-9.]+s', out)
        if m:
            return m[-1]
        m = re.findall(r'^(All checks passed!|Success: .*|Found \d+ errors?.*)$', out, re.M)
        if m:
            return m[-1].rstrip('.')
    return ''


def row(name, env):
    factors = name.split('-')
    py = env.get('python', {}).get('version_info', [])
    res = env.get('result', {})
    ok = res.get('success')
    pkgs = env.get('installed_packages')
    tested = name not in ('lint', 'type')
    cells = [
        '`%s`' % name,
        '.'.join(str(p) for p in py[:3]) if py else '',
        pkg(pkgs, 'gevent') if tested else '',
        pkg(pkgs, 'greenlet') if tested else '',
        pkg(pkgs, 'zope.interface') if tested else '',
        ('libuv' if 'libuv' in factors else 'libev') if tested else '',
        ('yes' if 'patched' in factors else 'no') if tested else '',
        'pass' if ok else 'FAIL (exit %s)' % res.get('exit_code'),
        '%.0f s' % res.get('duration', 0.0),
        summary(env),
    ]
    return '| ' + ' | '.join(cells) + ' |'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('result_json', nargs='+')
    ap.add_argument('--note', default='')
    ap.add_argument('--table-only', action='store_true')
    args = ap.parse_args()
    envs = {}
    for path in args.result_json:
        with open(path) as f:
            data = json.load(f)
        # envs that this run did not run are there too, with no result
        envs.update((k, v) for k, v in data['testenvs'].items()
                    if not k.startswith('.') and v.get('result'))
    if not args.table_only:
        print('# Compatibility matrix')
        print()
        print('The result of a full run of tox.ini\'s matrix (`tox run-parallel -p 2`,'
              ' tox %s, on %s), made into this table by `.ci/matrix_table.py`.'
              % (data.get('toxversion', '?'), data.get('platform', '?')))
        if args.note:
            print()
            print(args.note)
        print()
    print('| env | Python | gevent | greenlet | zope.interface | loop | monkey-patched '
          '| result | time | summary |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for name, env in envs.items():
        print(row(name, env))
    return 0


if __name__ == '__main__':
    sys.exit(main())
