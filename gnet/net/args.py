"""Argument normalisation for ``connect()`` and ``listen()`` (Node's rules).

Owns: Node's ``normalizeArgs`` (options / path / port[, host] with a
trailing callback), ``validate_port``, ``is_pipe_name`` and the typed option
checks shared by Socket and Server, each a use of the one family of number
validators in :mod:`gnet.validators` (re-exported here).
Must not import: gevent, sockets, streams (pure module).
"""

import math
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from .. import errors
from ..naming import camel, snake
from ..validators import (
    INT32_MAX,
    is_integer,
    js_number,
    keep_alive_seconds,
    validate_int32,
    validate_integer,
    validate_number,
    validate_uint32,
)

__all__ = ['normalize_args', 'validate_port', 'is_pipe_name', 'to_number',
           'check_bool', 'check_number', 'check_fn', 'check_server_options', 'backlog_of',
           'server_args', 'handle_fileno', 'block_list_option', 'validate_int32', 'validate_integer',
           'validate_number', 'validate_uint32', 'keep_alive_delay', 'keep_alive_seconds',
           'high_water_mark', 'boolean_option', 'DEFAULT_BACKLOG', 'INT32_MAX']

Callback = Optional[Callable[..., Any]]

#: Node's default listen backlog
DEFAULT_BACKLOG = 511


def to_number(value: Any) -> Optional[float]:
    """JS ``Number(value)`` for numbers and numeric strings; None otherwise.

    An int too large for a float is infinite, as in JS.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return float(int(text, 0)) if text.lower().startswith(('0x', '0o', '0b')) else float(text)
        except ValueError:
            return None
    return None


def is_pipe_name(value: Any) -> bool:
    """Node's ``isPipeName``: a string that is not a number."""
    return isinstance(value, str) and to_number(value) is None


def validate_port(port: Any, name: str = 'Port', allow_zero: bool = True) -> int:
    """An int or numeric string in 0..65535 (1.. if not ``allow_zero``).

    Anything else -- negative, too large, fractional, non-numeric, bool --
    raises ``ERR_SOCKET_BAD_PORT``.
    """
    number = to_number(port)
    if isinstance(port, str) and port.strip() != port:
        number = None
    if (number is None or not math.isfinite(number) or number != int(number)
            or number < 0 or number > 0xFFFF or (number == 0 and not allow_zero)):
        raise errors.ERR_SOCKET_BAD_PORT(name, port, allow_zero)
    return int(number)


def _options_of(value: Dict[str, Any]) -> Dict[str, Any]:
    return {snake(key): val for key, val in value.items()}


def normalize_args(args: Sequence[Any], kwargs: Optional[Dict[str, Any]] = None
                   ) -> Tuple[Dict[str, Any], Callback]:
    """Node's ``normalizeArgs``: ``(options, callback)`` from any call form.

    ``(options[, cb])``, ``(path[, cb])``, ``(port[, host][, cb])``; keyword
    options are merged in (snake_case, they win).  A dict-like handle
    (``{'fd': n}``) passes through as options; other objects become
    ``{'handle': obj}``.  A list or tuple (a JS array: an object to Node) is an
    options object with none of the options, so ``connect([{'port': p}, cb])``
    has no port and no callback, as in Node.
    """
    args = list(args)
    callback: Callback = None
    if args and callable(args[-1]) and not _is_handle_like(args[-1]):
        callback = args.pop()
    options: Dict[str, Any] = {}
    if args:
        first = args[0]
        if isinstance(first, dict):
            options = _options_of(first)
        elif isinstance(first, (list, tuple)):
            pass  # Node reads .port/.path of the array: undefined
        elif is_pipe_name(first):
            options['path'] = first
        elif _is_handle_like(first):
            options['handle'] = first
        else:
            options['port'] = first
            if len(args) > 1 and isinstance(args[1], str):
                options['host'] = args[1]
            rest = args[2:] if len(args) > 1 and isinstance(args[1], str) else args[1:]
            if rest and rest[0] is not None:
                options['backlog'] = rest[0]
    if kwargs:
        for key, value in kwargs.items():
            if value is not None:
                options[snake(key)] = value
    return options, callback


def _is_handle_like(value: Any) -> bool:
    return hasattr(value, 'fileno') and not isinstance(value, (int, str, bytes, dict))


def _option_name(label: str, name: str) -> str:
    """The option as Node's messages name it: ``options.keepAlive``."""
    return '%s.%s' % (label, camel(name))


def check_bool(options: Dict[str, Any], name: str, label: str = 'options') -> Optional[bool]:
    value = options.get(name)
    if value is not None and not isinstance(value, bool):
        raise errors.ERR_INVALID_ARG_TYPE(_option_name(label, name), 'boolean', value)
    return value


def check_number(options: Dict[str, Any], name: str, label: str = 'options',
                 minimum: Optional[float] = None, maximum: Optional[float] = None) -> Any:
    """The option ``name`` through :func:`validate_number` (None: not given, returned as is)."""
    value = options.get(name)
    if value is None:
        return None
    return validate_number(value, _option_name(label, name), minimum, maximum)


def boolean_option(name: str) -> Callable[[Any], bool]:
    """The check of a boolean server option: None is False, a non-bool ``ERR_INVALID_ARG_TYPE``."""
    def check(value: Any) -> bool:
        return bool(check_bool({name: value}, name))
    return check


def keep_alive_delay(value: Any) -> float:
    """A ``keepAliveInitialDelay`` option (ms), as Node's Socket and Server constructors take it.

    None is 0; a non-number raises ``ERR_INVALID_ARG_TYPE`` (``validateNumber``);
    a negative delay is 0; NaN and the infinities pass (the handle gets
    :func:`keep_alive_seconds` of it, 0).
    """
    if value is None:
        return 0
    validate_number(value, 'options.keepAliveInitialDelay')
    return 0 if value < 0 else value


def high_water_mark(value: Any) -> Optional[int]:
    """A server's ``highWaterMark`` option: None, or an integer >= 0.

    Stricter than Node 20, which takes any number here and then throws in
    every connection's constructor (NaN, infinite, fractional) or uses its
    default (negative): gnet raises ``ERR_OUT_OF_RANGE`` (``validateInteger``) at once.
    """
    if value is None:
        return None
    name = 'options.highWaterMark'
    validate_number(value, name, 0)
    if not is_integer(value):
        raise errors.ERR_OUT_OF_RANGE(name, 'an integer', value)
    return int(value)


def check_fn(options: Dict[str, Any], name: str, label: str = 'options') -> Callback:
    value = options.get(name)
    if value is not None and not callable(value):
        raise errors.ERR_INVALID_ARG_TYPE(_option_name(label, name), 'Function', value)
    return value


def check_server_options(opts: Dict[str, Any]) -> None:
    """Every option of ``net.Server`` (raises the Node error of the first bad one)."""
    for name in ('allow_half_open', 'pause_on_connect', 'no_delay', 'keep_alive', 'proxy_protocol'):
        check_bool(opts, name)
    check_number(opts, 'proxy_protocol_timeout', minimum=1, maximum=INT32_MAX)
    keep_alive_delay(opts.get('keep_alive_initial_delay'))
    high_water_mark(opts.get('high_water_mark'))
    block_list_option(opts.get('block_list'))


def block_list_option(value: Any) -> Any:
    """A ``blockList`` option: None or a BlockList (anything with ``check``)."""
    if value is not None and not hasattr(value, 'check'):
        raise errors.ERR_INVALID_ARG_TYPE('options.blockList', 'net.BlockList', value)
    return value


def backlog_of(options: Dict[str, Any], args: Sequence[Any]) -> int:
    """Node's ``options.backlog || backlogFromArgs || 511`` (args 2 and 3 are candidates)."""
    candidates = [options.get('backlog')] + [args[i] for i in (1, 2) if len(args) > i]
    for value in candidates:
        if callable(value) or isinstance(value, bool):
            continue
        number = to_number(value)
        if number is not None and number == number and 1 <= number < 2 ** 31:
            return int(number)
    return DEFAULT_BACKLOG


def server_args(args: Sequence[Any]) -> Tuple[Any, Optional[Callable[..., Any]]]:
    """``([options][, connection_listener])`` -> ``(options, listener)``; raises on anything else.

    As Node's ``options == null || typeof options === 'object'``: None is no
    options, and a list or tuple (a JS array) an options object with none set.
    """
    options: Any = None
    listener = None
    for arg in args:
        if isinstance(arg, dict):
            options = arg
        elif arg is None or isinstance(arg, (list, tuple)):
            pass
        elif callable(arg):
            listener = arg
        else:
            raise errors.ERR_INVALID_ARG_TYPE('options', 'Object', arg)
    return options, listener


def handle_fileno(handle: Any) -> int:
    """The descriptor behind ``listen(handle)``: a Server, a Socket, or a socket object.

    A Server or Socket is asked for its handle (``_handle``; None when it
    has none), a handle or socket for its ``fileno``.
    """
    inner: Any = getattr(handle, '_handle', handle)
    sock = getattr(inner, 'sock', inner)
    fileno = sock.fileno() if hasattr(sock, 'fileno') else -1
    if not isinstance(fileno, int) or fileno < 0:
        raise errors.ERR_INVALID_ARG_VALUE('options.handle', handle,
                                           'must be a bound socket, a Server or a Socket')
    return fileno
