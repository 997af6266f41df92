"""The name service as libuv uses it: the ASCII name, and a getaddrinfo that fails cleanly.

Owns: :func:`to_ascii` (the name libuv hands getaddrinfo), :func:`getaddrinfo`
(through gevent's resolver, a failure raised and never printed) and
:func:`lookup_first` (Node's ``dns.lookup`` for ``listen(port, host)``).
The connect path (:mod:`gnet.net.connect`) and the server's listen both
resolve through here, so a name fails the same way in both.
Must not import: sockets, servers or handles.
"""

import errno
from typing import Any, Callable, Tuple

import _socket
from gevent import get_hub
from gevent.resolver.thread import Resolver as ThreadResolver

from .. import errors
from .ip import is_ip

__all__ = ['getaddrinfo', 'to_ascii', 'lookup_first', 'MAX_ASCII_HOST']

#: libuv's buffer for the ASCII host name: a longer name fails with EINVAL
MAX_ASCII_HOST = 255

#: the label separators libuv's IDNA conversion accepts
_DOTS = ('.', '\u3002', '\uff0e', '\uff61')


def lookup_first(host: str) -> Tuple[str, int]:
    """Node's ``dns.lookup(host)`` for listen: the first address and its socket family.

    Blocks the calling greenlet (gevent's resolver); raises what it raises --
    ``getaddrinfo EINVAL`` for a name libuv cannot convert, as :func:`to_ascii`.
    """
    version = is_ip(host)
    if version:
        return host, _socket.AF_INET6 if version == 6 else _socket.AF_INET
    infos = getaddrinfo(get_hub().resolver, to_ascii(host), None, 0, _socket.SOCK_STREAM)
    family, _type, _proto, _name, sockaddr = infos[0]
    return sockaddr[0], family


def getaddrinfo(resolver: Any, *args: Any) -> Any:
    """``resolver.getaddrinfo(*args)``; a failure is raised here, and nothing is printed.

    gevent's thread resolver prints every failure that is not a ``gaierror``
    (getaddrinfo's ``EAI_SYSTEM`` is a plain ``OSError``: ``EMFILE`` when out of
    descriptors), and hands it over by pickling its traceback -- importing
    ``pickle``, which fails while out of descriptors, so that the answer is
    lost and the connect hangs.  Its pool runs a call that returns the failure.
    """
    if getattr(resolver.getaddrinfo, '__func__', None) is not ThreadResolver.getaddrinfo:
        return resolver.getaddrinfo(*args)  # another resolver, or one a test replaced
    outcome = resolver.pool.apply(_outcome, (_socket.getaddrinfo,) + args)
    if isinstance(outcome, _Failed):
        raise outcome.exc
    return outcome


class _Failed:
    """A call's exception, returned from a pool thread instead of raised."""

    __slots__ = ('exc',)

    def __init__(self, exc: BaseException):
        self.exc = exc


def _outcome(func: Callable[..., Any], *args: Any) -> Any:
    try:
        return func(*args)
    except Exception as exc:  # noqa: BLE001 - raised again in the hub's thread
        return _Failed(exc)


def to_ascii(host: str) -> bytes:
    """The name libuv gives getaddrinfo: each non-ASCII label as ``xn--`` punycode.

    No label rules are checked (a label over 63 characters is looked up and not
    found, as in Node, where Python's ``idna`` codec would raise); a name
    that is not valid Unicode or is longer than 255 bytes fails as libuv's:
    ``getaddrinfo EINVAL`` naming ``host``.
    """
    name = host
    for dot in _DOTS[1:]:
        name = name.replace(dot, '.')
    try:
        ascii_name = b'.'.join(_ascii_label(label) for label in name.split('.'))
    except UnicodeError:
        ascii_name = b''
    if not ascii_name and name or len(ascii_name) > MAX_ASCII_HOST:
        raise errors.dns_error(errno.EINVAL, host, 'EINVAL')
    return ascii_name


def _ascii_label(label: str) -> bytes:
    if label.isascii():
        return label.encode('ascii')
    label.encode('utf-8')  # a lone surrogate is no Unicode: UnicodeError
    return b'xn--' + label.encode('punycode')
