"""Node spellings for Python names: the one place camelCase aliases are made.

Owns: ``camel(name)`` / ``snake(name)``, the ``@node_aliases`` class decorator,
``module_aliases`` for a module namespace, and ``options()`` which merges an
options dict (either spelling) with keyword arguments.
Must not import: gevent, sockets (pure module).
"""

import re
from typing import Any, Dict, Iterable, List, Mapping, MutableMapping, Optional, TypeVar

__all__ = ['camel', 'snake', 'node_aliases', 'module_aliases', 'options']

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
        if not name.startswith('_') and '_' in name:
            yield name


def node_aliases(cls: T) -> T:
    """Class decorator: give every public snake_case attribute its Node name.

    Walks the class and its bases (so subclasses inherit aliases of their
    overrides correctly: the alias always names the subclass's attribute).
    An explicit definition under the camel name is never overwritten.
    """
    seen = set()
    for klass in cls.__mro__:
        if klass is object:
            continue
        for name in _public_names(vars(klass)):
            if name in seen:
                continue
            seen.add(name)
            alias = camel(name)
            if alias != name and alias not in vars(cls):
                setattr(cls, alias, getattr_static(cls, name))
    return cls


def getattr_static(cls: type, name: str) -> Any:
    """The raw class attribute (property, function, staticmethod) along the MRO."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    raise AttributeError(name)


def module_aliases(namespace: MutableMapping[str, Any], names: Iterable[str]) -> List[str]:
    """Add the Node spelling of each of ``names`` to a module namespace.

    Returns the aliases added, for the module's ``__all__``.
    """
    added: List[str] = []
    for name in _public_names(names):
        alias = camel(name)
        if alias != name and alias not in namespace:
            namespace[alias] = namespace[name]
            added.append(alias)
    return added


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
