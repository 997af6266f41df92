"""docs/node-tests.md is complete and current (tools/node_tests.py)."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tools'))

import node_tests  # noqa: E402


def test_every_node_file_has_a_status_and_a_port_or_a_reason():
    missing = [name for name, status, _ in node_tests.rows() if status == 'MISSING']
    assert not missing, 'no port and no reason for: %s' % ', '.join(missing)
    for name, status, note in node_tests.rows():
        if status in ('not portable', 'ported, failing') or status.endswith('(partial)'):
            assert note.strip(), '%s: a %s file needs its reason' % (name, status)


def test_every_port_is_the_translation_of_a_listed_node_file():
    ported = {node_tests.port_name(name) for name in node_tests.node_files()}
    ports = {f for f in os.listdir(node_tests.NODE_DIR) if f.startswith('test_') and f.endswith('.py')}
    assert ports <= ported, 'ports of no listed Node file: %s' % sorted(ports - ported)
    listed = node_tests.statuses()
    assert set(listed) == set(node_tests.node_files())


def test_the_page_is_current():
    with open(node_tests.PAGE) as f:
        assert f.read() == node_tests.render(), 'run: python tools/node_tests.py --write'
