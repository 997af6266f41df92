"""A griffe extension (mkdocs.yml) for the reST roles in gnet's docstrings.

gnet's docstrings name other objects Sphinx's way, ``:class:`Loop```,
``:meth:`Executor.pump```, ``:mod:`gnet.errors```.  mkdocstrings renders
docstrings as Markdown, where a role would show as raw text; this extension
resolves each role's target from where the docstring stands (its object,
then the enclosing class and module, as Python would) and turns it into an
optional cross-reference: a link when the target has a page on the site,
plain code when it is internal and undocumented.  A target that names
nothing in gnet is a warning, so the strict build fails on a misspelt role.

It also turns reST's ``text::`` that introduces a literal block into
``text:`` (the indented block is a Markdown code block as it stands).
"""

import re

from griffe import Extension, logger

ROLE = re.compile(r':(?:py:)?(?P<role>class|func|meth|mod|data|attr|exc|obj|const):`(?P<target>[^`]+)`')
LITERAL_INTRO = re.compile(r'(?<=\S)::$', re.MULTILINE)


class SphinxRoles(Extension):
    def on_package(self, *, pkg, loader, **kwargs):
        for obj in walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = self.convert(obj, obj.docstring.value, loader)

    def convert(self, obj, text, loader):
        def replace(match):
            target = match.group('target').strip()
            title = target
            if target.startswith('~'):
                target = target[1:]
                title = target.rsplit('.', 1)[-1]
            target = target.removesuffix('()')
            path = resolve(obj, target, loader)
            if path is None:
                logger.warning('%s: %s names nothing in %s', obj.path, match.group(0), obj.package.name)
                return '`%s`' % title
            return '<autoref identifier="%s" optional><code>%s</code></autoref>' % (path, title)

        return LITERAL_INTRO.sub(':', ROLE.sub(replace, text))


def walk(obj):
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from walk(member)


def exists(path, loader):
    try:
        loader.modules_collection[path]
    except (KeyError, ValueError):
        return False
    return True


def resolve(obj, target, loader):
    """The full path of ``target`` as named in ``obj``'s docstring, or None."""
    if exists(target, loader):
        return target
    head, _, rest = target.partition('.')
    scope = obj
    while scope is not None:
        try:
            found = scope.resolve(head)
        except Exception:  # griffe's NameResolutionError, or an alias it cannot follow
            found = None
        if found is None and scope.is_class:
            try:  # an inherited member (the bases must be resolvable)
                found = scope.all_members[head].path
            except Exception:
                found = None
        if found is not None:
            path = found + ('.' + rest if rest else '')
            if exists(path, loader):
                return path
        scope = scope.parent
    return None
