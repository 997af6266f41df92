"""The documentation stays true: generated tables, names, links, quoted code.

- docs/porting.md's name table is what tools/porting_table.py generates from
  Node's real ``net`` module (or its snapshot) and gnet's real objects;
- the snapshot docs/node-net-names.json matches the installed ``node``;
- the proxy quoted side by side is the code of examples/proxy.js and .py;
- docs/api.md covers every public name, docs/design.md every interface;
- the README's links resolve.
"""

import importlib.util
import json
import os
import re
import shutil

import pytest

import gnet
from gnet import interfaces

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding='utf8') as f:
        return f.read()


def load_tool():
    spec = importlib.util.spec_from_file_location(
        'porting_table', os.path.join(ROOT, 'tools', 'porting_table.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def tool():
    return load_tool()


@pytest.mark.timeout(60)
def test_porting_table_is_generated_from_node_and_gnet(tool):
    names = tool.read_snapshot()
    text = read('docs', 'porting.md')
    table = text[text.index(tool.BEGIN):text.index(tool.END) + len(tool.END)]
    assert table == tool.markdown(names), \
        'docs/porting.md is stale: run python tools/porting_table.py --write'


@pytest.mark.timeout(60)
def test_node_names_snapshot_matches_the_installed_node(tool):
    if shutil.which('node') is None:
        pytest.skip('node is not installed; the snapshot stands in for it')
    live = tool.read_node()
    snapshot = tool.read_snapshot()
    live.pop('node'), snapshot.pop('node')
    assert live == snapshot, 'Node changed: run python tools/porting_table.py --write'


def test_every_node_name_has_a_gnet_row(tool):
    text = read('docs', 'porting.md')
    for section, members in tool.node_names(tool.read_snapshot()).items():
        for name in members:
            assert '| `%s` |' % name in text, '%s.%s is missing from the table' % (section, name)


CAMEL_GAPS = ['allowHalfOpen', 'highWaterMark', 'keepAlive', 'keepAliveInitialDelay',
              'noDelay', 'pauseOnConnect']


@pytest.mark.parametrize('name', CAMEL_GAPS)
def test_server_option_attributes_answer_in_camel_case(name):
    from gnet.naming import snake
    server = gnet.Server({name: 1 if name in ('keepAliveInitialDelay', 'highWaterMark') else True})
    assert getattr(server, name) == getattr(server, snake(name))


def test_proxy_side_by_side_is_the_real_code():
    text = read('docs', 'porting.md')
    section = text.split('## A proxy, side by side', 1)[1]
    javascript = re.search(r'```javascript\n(.*?)```', section, re.S).group(1)
    python = re.search(r'```python\n(.*?)```', section, re.S).group(1)
    assert javascript in read('examples', 'proxy.js')
    assert python in read('examples', 'proxy.py')
    assert javascript.startswith("'use strict';") and python.startswith('import sys')


def test_api_reference_covers_every_public_name():
    text = read('docs', 'api.md')
    public = [name for name in gnet.__all__ if name == name.lower() or name[0].isupper()]
    missing = [name for name in public if '`%s' % name not in text]
    assert not missing, 'docs/api.md does not document %s' % missing


def test_design_covers_every_interface():
    text = read('docs', 'design.md')
    missing = [name for name in interfaces.__all__ if '`%s`' % name not in text]
    assert not missing, 'docs/design.md does not describe %s' % missing
    for module in ('runner.py', 'loop.py', 'interfaces.py', 'handles/'):
        assert module in text


def test_readme_links_and_sections():
    text = read('README.md')
    for link in re.findall(r'\]\(([^)#]+)\)', text):
        assert os.path.exists(os.path.join(ROOT, link)), link
    for heading in ('## Quick start', '## Compatibility matrix', '## Porting from Node'):
        assert heading in text
    for name in sorted(os.listdir(os.path.join(ROOT, 'examples'))):
        assert '`%s`' % name in text, 'README does not list examples/%s' % name


def test_docs_link_to_existing_files():
    for page in ('porting.md', 'api.md', 'design.md', 'performance.md'):
        text = read('docs', page)
        for link in re.findall(r'\]\(([^)#:]+)(?:#[^)]*)?\)', text):
            target = os.path.normpath(os.path.join(ROOT, 'docs', link))
            if link.endswith('RESULTS.md'):
                continue  # written by bench/run.py --write-results
            assert os.path.exists(target), '%s links to missing %s' % (page, link)


def test_snapshot_is_valid_json():
    data = json.loads(read('docs', 'node-net-names.json'))
    assert {'net', 'Socket', 'Server', 'BlockList', 'SocketAddress'} <= set(data)
