"""Node's error registry: one class per error code, plus ``SysError``.

Owns: the mapping *code -> (builtin base, message template)*, the classes built
from it, and the translation of ``OSError`` into Node-style system errors.
Must not import: gevent, socket handles, streams (pure module).

Every error has ``.code`` and Node's ``.name``.  JS ``TypeError`` maps to the
builtin ``TypeError``, JS ``RangeError`` to ``ValueError``, JS ``SyntaxError``
to ``SyntaxError``, JS ``Error`` to :class:`NodeError` alone.  Classes are
attributes of this module named by their code:
``gnet.errors.ERR_INVALID_ARG_TYPE('x', 'string', 5)``.
"""

import errno as _errno
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple, Type, cast

__all__ = ['NodeError', 'SysError', 'AbortError', 'ERR_UNHANDLED_ERROR',
           'stdlib_oserror_class', 'sys_error', 'dns_error', 'describe_value', 'inspect_value', 'codes']


class NodeError(Exception):
    """Common base of every error gnet raises or emits."""

    code: str = 'ERR_GNET'
    name: str = 'Error'

    def __init__(self, message: str = '', *, code: Optional[str] = None, **props: Any):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        for key, value in props.items():
            setattr(self, key, value)

    def __str__(self) -> str:
        return self.message


def describe_value(value: Any) -> str:
    """Node's ``Received ...`` suffix, described in Python terms."""
    if value is None:
        return 'Received None'
    if callable(value) and hasattr(value, '__name__'):
        return 'Received function %s' % value.__name__
    if isinstance(value, (bool, int, float, str, bytes)):
        shown = repr(value)
        if len(shown) > 28:
            shown = shown[:25] + '...'
        return 'Received type %s (%s)' % (type(value).__name__, shown)
    return 'Received an instance of %s' % type(value).__name__


def _fmt_arg_type(name: str, expected: Any, actual: Any = None) -> str:
    if isinstance(expected, (list, tuple)):
        expected = ' or '.join(str(e) for e in expected)
    kind = 'property' if '.' in name else 'argument'
    return 'The "%s" %s must be of type %s. %s' % (name, kind, expected, describe_value(actual))


def inspect_value(value: Any, separators: bool = False) -> str:
    """A value as Node's messages show it: numbers in JS spelling (``NaN``,
    ``Infinity``, ``2`` for ``2.0``; with ``separators``, integers beyond
    2**32 grouped as ``2_147_483_648_000``, as ``ERR_OUT_OF_RANGE`` does),
    anything else as its ``repr``."""
    if isinstance(value, float) and not isinstance(value, bool):
        if value != value:
            return 'NaN'
        if value in (float('inf'), float('-inf')):
            return 'Infinity' if value > 0 else '-Infinity'
        if value.is_integer() and abs(value) < 1e21:
            value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > 2 ** 1024:  # beyond a double: infinite to JS
            return 'Infinity' if value > 0 else '-Infinity'
        if separators and abs(value) > 2 ** 32:
            return '{:_}'.format(value)
        return str(value)
    return repr(value)


def _fmt_arg_value(name: str, value: Any, reason: str = 'is invalid') -> str:
    kind = 'property' if '.' in name else 'argument'
    return "The %s '%s' %s. Received %s" % (kind, name, reason, inspect_value(value))


def _fmt_out_of_range(name: str, range_: str, received: Any) -> str:
    return 'The value of "%s" is out of range. It must be %s. Received %s' % (
        name, range_, inspect_value(received, separators=True))


def _fmt_bad_port(name: str = 'Port', port: Any = None, allow_zero: bool = True) -> str:
    op = '>=' if allow_zero else '>'
    return '%s should be %s 0 and < 65536. Received %s.' % (name, op, inspect_value(port))


def _fmt_unhandled(err: Any = None) -> str:
    return 'Unhandled error.' if err is None else 'Unhandled error. (%r)' % (err,)


# code -> (python base, message template or formatter, Node name)
_REGISTRY: Dict[str, Tuple[Type[BaseException], Any]] = {
    'ERR_INVALID_ARG_TYPE': (TypeError, _fmt_arg_type),
    'ERR_INVALID_ARG_VALUE': (TypeError, _fmt_arg_value),
    'ERR_INVALID_RETURN_VALUE': (TypeError, 'Expected {0} to be returned from the "{1}" function but got {2}.'),
    'ERR_OUT_OF_RANGE': (ValueError, _fmt_out_of_range),
    'ERR_SOCKET_BAD_PORT': (ValueError, _fmt_bad_port),
    'ERR_MISSING_ARGS': (TypeError, 'The "{0}" argument must be specified'),
    'ERR_MISSING_OPTION': (TypeError, '{0} is required'),
    'ERR_INVALID_ADDRESS': (NodeError, 'Invalid address: {0}'),
    'ERR_INVALID_IP_ADDRESS': (TypeError, 'Invalid IP address: {0}'),
    'ERR_INVALID_ADDRESS_FAMILY': (ValueError, 'Invalid address family: {0} {1}:{2}'),
    'ERR_IP_BLOCKED': (NodeError, 'IP({0}) is blocked by net.BlockList'),
    'ERR_INVALID_FD_TYPE': (TypeError, 'Unsupported fd type: {0}'),
    'ERR_INVALID_HANDLE_TYPE': (TypeError, 'This handle type cannot be sent'),
    'ERR_INVALID_THIS': (TypeError, 'Value of "this" must be of type {0}'),
    'ERR_SERVER_ALREADY_LISTEN': (NodeError, 'Listen method has been called more than once without closing.'),
    'ERR_SERVER_NOT_RUNNING': (NodeError, 'Server is not running.'),
    'ERR_SOCKET_CLOSED': (NodeError, 'Socket is closed'),
    'ERR_SOCKET_CLOSED_BEFORE_CONNECTION': (NodeError, 'Socket closed before the connection was established'),
    'ERR_SOCKET_CONNECTION_TIMEOUT': (NodeError, 'Socket connection timeout'),
    'ERR_SOCKET_BAD_TYPE': (TypeError, 'Bad socket type specified. Valid types are: udp4, udp6'),
    'ERR_STREAM_WRITE_AFTER_END': (NodeError, 'write after end'),
    'ERR_STREAM_DESTROYED': (NodeError, 'Cannot call {0} after a stream was destroyed'),
    'ERR_STREAM_PUSH_AFTER_EOF': (NodeError, 'stream.push() after EOF'),
    'ERR_STREAM_UNSHIFT_AFTER_END_EVENT': (NodeError, 'stream.unshift() after end event'),
    'ERR_STREAM_NULL_VALUES': (TypeError, 'May not write null values to stream'),
    'ERR_STREAM_PREMATURE_CLOSE': (NodeError, 'Premature close'),
    'ERR_STREAM_ALREADY_FINISHED': (NodeError, 'Cannot call {0} after a stream was finished'),
    'ERR_STREAM_CANNOT_PIPE': (NodeError, 'Cannot pipe, not readable'),
    'ERR_METHOD_NOT_IMPLEMENTED': (NodeError, 'The {0} method is not implemented'),
    'ERR_MULTIPLE_CALLBACK': (NodeError, 'Callback called multiple times'),
    'ERR_UNKNOWN_ENCODING': (TypeError, 'Unknown encoding: {0}'),
    'ERR_UNHANDLED_ERROR': (NodeError, _fmt_unhandled),
    'ERR_INVALID_STATE': (NodeError, 'Invalid state: {0}'),
    'ERR_ILLEGAL_CONSTRUCTOR': (TypeError, 'Illegal constructor'),
    # gnet.tls.check_server_identity sets .reason, .host and .cert as props
    'ERR_TLS_CERT_ALTNAME_INVALID': (NodeError, "Hostname/IP does not match certificate's altnames: {0}"),
    'ERR_TLS_CERT_ALTNAME_FORMAT': (SyntaxError, 'Invalid subject alternative name string'),
}

_JS_NAMES = {TypeError: 'TypeError', ValueError: 'RangeError', NodeError: 'Error', SyntaxError: 'SyntaxError'}

codes: Dict[str, Type[NodeError]] = {}


if TYPE_CHECKING:
    class _CodedError(NodeError):
        """A class built from ``_REGISTRY``, as type checkers see it: the
        positional arguments fill the message template."""

        def __init__(self, *args: Any, **props: Any) -> None: ...


def _make_class(code: str, base: Type[BaseException], template: Any) -> 'Type[_CodedError]':
    bases = (NodeError,) if base is NodeError else (NodeError, base)

    def __init__(self: NodeError, *args: Any, **props: Any) -> None:
        if callable(template):
            message = template(*args)
        elif args:
            message = template.format(*args)
        else:
            message = template.replace('{0}', '').replace('  ', ' ')
        NodeError.__init__(self, message, **props)

    cls = type(code, bases, {
        '__init__': __init__, 'code': code, 'name': _JS_NAMES[base],
        '__doc__': 'Node error %s (JS %s).' % (code, _JS_NAMES[base]),
        '__module__': __name__,
    })
    return cls


for _code, (_base, _template) in _REGISTRY.items():
    codes[_code] = globals()[_code] = _make_class(_code, _base, _template)
    __all__.append(_code)


def __getattr__(name: str) -> 'Type[_CodedError]':  # for type checkers: dynamic classes
    try:
        return cast('Type[_CodedError]', codes[name])
    except KeyError:
        raise AttributeError(name) from None


ERR_UNHANDLED_ERROR = cast('Type[_CodedError]', codes['ERR_UNHANDLED_ERROR'])


class AbortError(NodeError):
    """Node's ``AbortError``: ``code == 'ABORT_ERR'``, ``.cause`` is the reason."""

    code = 'ABORT_ERR'
    name = 'AbortError'

    def __init__(self, message: str = 'The operation was aborted', cause: Any = None):
        super().__init__(message)
        self.cause = cause


codes['ABORT_ERR'] = AbortError


def stdlib_oserror_class(errno: Any) -> Optional[Type[OSError]]:
    """The builtin ``OSError`` subclass the stdlib raises for ``errno``.

    ``ConnectionRefusedError`` for ECONNREFUSED, ``BrokenPipeError`` for
    EPIPE and ESHUTDOWN, ``TimeoutError`` for ETIMEDOUT, and so on: CPython's
    own errno table, read by asking ``OSError`` itself.  None when the stdlib
    raises a plain ``OSError`` (EADDRINUSE, or a negative ``EAI_*`` code).
    """
    if not isinstance(errno, int) or isinstance(errno, bool):
        return None
    cls = type(OSError(errno, ''))
    return None if cls is OSError else cls


#: (SysError class, builtin) -> the class whose instances are both
_FLAVOURS: Dict[Tuple[type, type], type] = {}


def _flavour(cls: type, builtin: Type[OSError]) -> type:
    """``cls`` that is also ``builtin``, made once and cached."""
    key = (cls, builtin)
    flavour = _FLAVOURS.get(key)
    if flavour is None:
        name = '%s[%s]' % (cls.__name__, builtin.__name__)
        flavour = _FLAVOURS[key] = type(cls)(name, (cls, builtin), {
            '__doc__': '%s that is also the builtin %s.' % (cls.__name__, builtin.__name__),
            '__module__': cls.__module__, '__qualname__': name, '_sys_class': cls,
        })
    return flavour


class SysError(NodeError, OSError):
    """A system call failed: Node's ``SystemError`` shape on Python's ``OSError``.

    ``code`` is the errno name (``'ECONNREFUSED'``), ``errno`` the number,
    ``syscall`` the failed call; ``address``/``port`` where known, and
    ``hostname`` for a failed name lookup (:func:`dns_error`).  The message
    reads like Node's: ``connect ECONNREFUSED 127.0.0.1:9``.  Keyword
    ``props`` become further attributes, as with :class:`NodeError`.

    An instance is also the builtin the stdlib would raise for its errno
    (:func:`stdlib_oserror_class`): ``SysError(errno.ECONNREFUSED, ...)``
    is a ``ConnectionRefusedError``, so ``except ConnectionRefusedError``
    catches it.  It is made by a cached subclass of ``SysError`` and that
    builtin (named ``SysError[ConnectionRefusedError]``); an errno with no
    builtin (EADDRINUSE, DNS codes) gives a plain ``SysError``.  Pickling
    keeps the class and every attribute.
    """

    name = 'Error'
    #: the name whose lookup failed (Node's DNS errors); None for other calls
    hostname: Optional[str] = None
    #: the class a flavour was made from (itself for SysError and its subclasses)
    _sys_class: type

    def __new__(cls, errno: int, *args: Any, **kwargs: Any) -> 'SysError':
        builtin = stdlib_oserror_class(errno)
        if builtin is not None and not issubclass(cls, builtin):
            cls = _flavour(cls, builtin)
        # no arguments: OSError's __new__ would parse them as (errno, strerror, filename)
        return OSError.__new__(cls)

    def __init__(self, errno: int, syscall: str, address: Optional[str] = None,
                 port: Optional[int] = None, code: Optional[str] = None,
                 extra: Optional[str] = None, **props: Any):
        code = code or _errno.errorcode.get(errno, 'UNKNOWN')
        message = '%s %s' % (syscall, code)
        if extra:
            message += ': ' + extra
        if address is not None:
            message += ' ' + (('%s:%s' % (address, port)) if port is not None else address)
        NodeError.__init__(self, message, code=code, **props)
        self.args: Tuple[Any, ...] = (errno, message)
        self.errno: int = errno
        self.strerror: str = message
        self.syscall = syscall
        self.address = address
        self.port = port
        self._extra = extra

    def __reduce__(self) -> Any:
        cls = getattr(type(self), '_sys_class', type(self))
        return (cls, (self.errno, self.syscall, self.address, self.port, self.code, self._extra),
                dict(self.__dict__))


_DNS_CODES = {
    # socket.EAI_* -> Node/c-ares code
    -2: 'ENOTFOUND', -3: 'EAI_AGAIN', -5: 'ENOTFOUND', -9: 'EAI_ADDRFAMILY',
    -8: 'ENOTFOUND', -6: 'EAI_FAMILY', -11: 'EAI_SYSTEM',
}


def dns_error(errno: int, hostname: Optional[str], code: str) -> SysError:
    """Node's ``DNSException`` of ``dns.lookup``: ``getaddrinfo CODE hostname``.

    ``syscall`` is ``'getaddrinfo'`` and ``hostname`` the name looked up (as in
    Node); ``address`` is the same name, for gnet's callers.
    """
    err = SysError(errno, 'getaddrinfo', hostname, None, code=code)
    err.hostname = hostname
    return err


def sys_error(exc: BaseException, syscall: str, address: Optional[str] = None,
              port: Optional[int] = None) -> NodeError:
    """Translate an exception from a socket call into a gnet error.

    ``OSError`` becomes :class:`SysError`; a ``socket.gaierror`` becomes an
    ``ENOTFOUND``-style ``getaddrinfo`` error (:func:`dns_error`, with
    ``address`` as its hostname); gnet errors pass through.
    """
    if isinstance(exc, NodeError):
        return exc
    if isinstance(exc, OSError) and isinstance(exc.errno, int) and exc.errno < 0:
        # getaddrinfo failures (socket.gaierror) carry negative EAI_* codes
        return dns_error(exc.errno, address, _DNS_CODES.get(exc.errno, 'ENOTFOUND'))
    if isinstance(exc, TimeoutError) and not exc.errno:
        return SysError(_errno.ETIMEDOUT, syscall, address, port)
    if isinstance(exc, OSError) and exc.errno:
        return SysError(exc.errno, syscall, address, port)
    err = NodeError(str(exc) or exc.__class__.__name__, code='ERR_GNET_INTERNAL')
    err.__cause__ = exc
    return err

