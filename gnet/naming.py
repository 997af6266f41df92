"""Node spellings for Python names: the one place camelCase aliases are made.

Owns: ``camel(name)`` / ``snake(name)``, the rule of which names get an
alias (``alias_pairs``, ``own_aliases``), the ``@node_aliases`` class
decorator, and ``options()`` which merges an options dict (either spelling)
with keyword arguments.  ``tools/node_names.py`` applies the rule to gnet's
source: the aliases are written out as assignments (``setNoDelay =
set_no_delay`` in a class body, ``createServer = create_server`` in
``gnet/__init__.py``) so that type checkers see them.
Must not import: gevent, sockets (pure module).
"""

import re
from types import MemberDescriptorType
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, TypeVar

__all__ = ['camel', 'snake', 'alias_pairs', 'own_aliases', 'node_aliases', 'options']

# words whose Node spelling is not plain capitalisation
_SPECIAL_WORDS = {'ip': 'IP', 'ipv4': 'IPv4', 'ipv6': 'IPv6', 'json': 'JSON', 'fd': 'Fd'}

T = TypeVar('T', bound=type)


def camel(name: str) -> str:
    """``create_server`` -> ``createServer``; ``is_ipv4`` -> ``isIPv4``.

    Leading underscores are kept; a name without an inner underscore is
    returned unchanged.
    """
    stripped = name.lstrip('_')
    prefix = name[:len(name) - len(stripped)]
    words = stripped.split('_')
    if len(words) == 1:
        return name
    out = [words[0]]
    for word in words[1:]:
        out.append(_SPECIAL_WORDS.get(word, word[:1].upper() + word[1:]))
    return prefix + ''.join(out)


_CAMEL_BOUNDARY = re.compile(r'(?<=[a-z0-9])(?=[A-Z])')


def snake(name: str) -> str:
    """``allowHalfOpen`` -> ``allow_half_open``; ``ipv6Only`` -> ``ipv6_only``;
    ``ALPNProtocols`` -> ``alpn_protocols``; ``SNICallback`` -> ``sni_callback``."""
    if '_' in name or name.islower():
        return name
    name = name.replace('IPv4', 'Ipv4').replace('IPv6', 'Ipv6').replace('IP', 'Ip')
    name = name.replace('JSON', 'Json').replace('ALPN', 'Alpn').replace('SNI', 'Sni')
    return _CAMEL_BOUNDARY.sub('_', name).lower()


def _public_names(namespace: Iterable[str]) -> Iterable[str]:
    for name in list(namespace):
        if not name.startswith('_') and '_' in name and not name.isupper():
            yield name  # a CONSTANT is spelled the same in Node (tls.DEFAULT_MIN_VERSION)


def alias_pairs(names: Iterable[str]) -> List[Tuple[str, str]]:
    """``(alias, name)`` for each of ``names`` that has a Node spelling of its own.

    The rule: a public name (no leading underscore) with an inner underscore,
    not all upper case, whose :func:`camel` differs, in the order given.
    """
    return [(camel(name), name) for name in _public_names(names) if camel(name) != name]


def own_aliases(cls: type) -> List[Tuple[str, str]]:
    """``(alias, name)`` for the attributes ``cls`` itself defines, in definition order.

    Methods, properties, static and class methods get an alias; a ``__slots__``
    field does not (a slot is storage: the fields that are API are properties).
    A different object already defined under the alias (an explicit Node-named
    definition) keeps the name, so the pair is left out.
    """
    namespace = vars(cls)
    return [(alias, name) for alias, name in alias_pairs(namespace)
            if not isinstance(namespace[name], MemberDescriptorType)
            and namespace.get(alias, namespace[name]) is namespace[name]]


def node_aliases(cls: T) -> T:
    """Class decorator: every public snake_case attribute also under its Node name.

    Applies :func:`own_aliases` along the MRO: the alias of a name always
    names the attribute the MRO finds for ``cls`` (a subclass's override, not
    the base's), and an explicit definition under the alias is never
    overwritten.  An alias that already resolves to that attribute is left
    alone, so a class whose aliases are written in its body gets nothing set.

    gnet's own classes have their aliases written in their bodies by
    ``tools/node_names.py`` (type checkers see only those); the decorator
    marks them for that tool.  A user's subclass decorated with it gets the
    Node names of its overrides (``setNoDelay`` naming its ``set_no_delay``).
    """
    seen = set()
    for klass in cls.__mro__:
        if klass is object:
            continue
        for alias, name in own_aliases(klass):
            if name in seen:
                continue
            seen.add(name)
            target = getattr_static(cls, name)
            if alias not in vars(cls) and _lookup(cls, alias) is not target:
                setattr(cls, alias, target)
    return cls


_MISSING = object()


def _lookup(cls: type, name: str) -> Any:
    try:
        return getattr_static(cls, name)
    except AttributeError:
        return _MISSING


def getattr_static(cls: type, name: str) -> Any:
    """The raw class attribute (property, function, staticmethod) along the MRO."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    raise AttributeError(name)


def options(opts: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> Dict[str, Any]:
    """Merge an options mapping (Node or Python spelling) with keyword options.

    Keys come back in snake_case; keyword arguments win.  ``None`` values from
    keywords are dropped so that defaults apply, as an absent JS key would.
    """
    merged: Dict[str, Any] = {}
    if opts:
        for key, value in opts.items():
            merged[key if key.islower() else snake(key)] = value
    for key, value in kwargs.items():
        if value is not None:
            merged[key] = value
    return merged
