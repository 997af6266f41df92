"""Argument normalisation for ``connect()`` and ``listen()`` (Node's rules).

Owns: Node's ``normalizeArgs`` (options / path / port[, host] with a
trailing callback), ``validate_port``, ``is_pipe_name`` and the typed option
checks shared by Socket and Server.
Must not import: gevent, sockets, streams (pure module).
"""

import math
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from .. import errors
from ..naming import snake

__all__ = ['normalize_args', 'validate_port', 'is_pipe_name', 'to_number',
           'check_bool', 'check_int', 'check_fn']

Callback = Optional[Callable[..., Any]]


def to_number(value: Any) -> Optional[float]:
    """JS ``Number(value)`` for ints and numeric strings; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
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
    ``{'handle': obj}``.
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


def check_bool(options: Dict[str, Any], name: str, label: str = 'options') -> Optional[bool]:
    value = options.get(name)
    if value is not None and not isinstance(value, bool):
        raise errors.ERR_INVALID_ARG_TYPE('%s.%s' % (label, name), 'boolean', value)
    return value


def check_int(options: Dict[str, Any], name: str, label: str = 'options',
              minimum: Optional[int] = None) -> Optional[int]:
    value = options.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise errors.ERR_INVALID_ARG_TYPE('%s.%s' % (label, name), 'number', value)
    if minimum is not None and value < minimum:
        raise errors.ERR_OUT_OF_RANGE('%s.%s' % (label, name), '>= %s' % minimum, value)
    return int(value)


def check_fn(options: Dict[str, Any], name: str, label: str = 'options') -> Callback:
    value = options.get(name)
    if value is not None and not callable(value):
        raise errors.ERR_INVALID_ARG_TYPE('%s.%s' % (label, name), 'Function', value)
    return value
