"""mkdocs hooks for the documentation site (mkdocs.yml ``hooks:``).

The pages in docs/ are also read on their own (on a forge, in an editor), so
they link to files outside docs/ by their path in the repository:
``../bench/RESULTS.md``, ``../gnet/interfaces.py``.  The site publishes the
README as its home page and a few Markdown files from outside docs/ as pages
(``PUBLISHED``), and these hooks rewrite every relative link that leads to
one of them, or to a module with a reference page (``MODULE_PAGES``), into
the link of that page on the site.  Any other link is left as it is, for
mkdocs to validate: a link to a missing file or anchor still fails the
strict build.

The page of ``gnet.interfaces`` also gets the table of the behavioural
contracts, which the module appends to its docstring when it is imported
(a static reading of the source does not see that).
"""

import importlib.util
import os
import posixpath
import re

from mkdocs.structure.files import File

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# site page -> the repository file it is made from
PUBLISHED = {
    'index.md': 'README.md',
    'changelog.md': 'CHANGELOG.md',
    'bench/README.md': 'bench/README.md',
    'bench/RESULTS.md': 'bench/RESULTS.md',
    'bench/RESULTS-micro.md': 'bench/RESULTS-micro.md',
    'bench/RESULTS-cluster.md': 'bench/RESULTS-cluster.md',
}

# a module's source file -> its page in the API reference
MODULE_PAGES = {
    'gnet/__init__.py': 'reference/gnet.md',
    'gnet/errors.py': 'reference/errors.md',
    'gnet/interfaces.py': 'reference/interfaces.md',
    'gnet/streams/__init__.py': 'reference/streams.md',
    'gnet/proxy/__init__.py': 'reference/proxy.md',
    'gnet/cluster/__init__.py': 'reference/cluster.md',
}

# where reference/interfaces.md has the contracts' table
CONTRACTS_MARK = '<!-- contracts -->'

# an inline link's target: ](target) or ](target "title")
LINK = re.compile(r'\]\((?P<target>[^)\s]+)(?P<rest>[^)]*)\)')
FENCE = re.compile(r'^\s*(```|~~~)')


def on_files(files, config):
    """Add the pages made from repository files outside docs/."""
    for uri, path in PUBLISHED.items():
        files.append(File.generated(config, uri, abs_src_path=os.path.join(ROOT, path)))
    return files


def repository_path(page):
    """The path in the repository of the file a page is made from."""
    uri = page.file.src_uri
    return PUBLISHED.get(uri, posixpath.join('docs', uri))


def site_uri(path):
    """The site page for a repository path, or None if it has none."""
    if path.startswith('docs/'):
        return path[len('docs/'):]
    for uri, source in PUBLISHED.items():
        if source == path:
            return uri
    return MODULE_PAGES.get(path)


def rewrite(target, page):
    if ':' in target or target.startswith(('#', '/')):
        return target  # a URL, an anchor on this page, an absolute path
    path, sep, fragment = target.partition('#')
    source = repository_path(page)
    uri = site_uri(posixpath.normpath(posixpath.join(posixpath.dirname(source), path)))
    if uri is None:
        return target
    return posixpath.relpath(uri, posixpath.dirname(page.file.src_uri) or '.') + sep + fragment


def contracts_table():
    """The contracts of gnet/interfaces.py as a Markdown table (ID, contract)."""
    spec = importlib.util.spec_from_file_location(
        '_gnet_interfaces_for_docs', os.path.join(ROOT, 'gnet', 'interfaces.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = ['| ID | contract |', '|---|---|']
    for key, text in module.CONTRACTS.items():
        rows.append('| <span id="%s"></span>`%s` | %s |' % (key, key, text.replace('|', '\\|')))
    return '\n'.join(rows)


def on_page_markdown(markdown, page, config, files):
    """Point the links to repository files at their pages on the site."""
    if CONTRACTS_MARK in markdown:
        markdown = markdown.replace(CONTRACTS_MARK, contracts_table())
    lines = markdown.split('\n')
    fenced = False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and '](' in line:
            lines[i] = LINK.sub(
                lambda m: '](%s%s)' % (rewrite(m.group('target'), page), m.group('rest')), line)
    return '\n'.join(lines)
