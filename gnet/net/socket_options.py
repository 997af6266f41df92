"""Validated options of a Socket: constructor options and TCP connect options.

Owns: the checks Node makes in ``new net.Socket(options)`` and in
``socket.connect(options)`` for TCP, and the process-wide auto-select-family
defaults.  Raises the Node error class (with its ``.code``) for bad input.
Must not import: net sockets, servers (they import this).
"""

from typing import Any, Callable, Dict, Optional, Tuple

import _socket

from .. import errors
from ..validators import is_number, js_falsy, to_int32
from . import args as netargs
from .ip import is_ip

__all__ = ['SocketConfig', 'tcp_connect_options', 'get_default_auto_select_family',
           'set_default_auto_select_family', 'get_default_auto_select_family_attempt_timeout',
           'set_default_auto_select_family_attempt_timeout']

_defaults: Dict[str, Any] = {'auto_select_family': True, 'auto_select_family_attempt_timeout': 250}

#: Node raises a shorter connection attempt timeout to this many ms
MIN_ATTEMPT_TIMEOUT = 10

#: Node's ``dns.ADDRCONFIG``, ``dns.V4MAPPED``, ``dns.ALL``: the platform's getaddrinfo flags
ADDRCONFIG, V4MAPPED, ALL = _socket.AI_ADDRCONFIG, _socket.AI_V4MAPPED, _socket.AI_ALL

#: the only bits ``dns.lookup`` accepts in ``hints``
VALID_HINTS = ADDRCONFIG | V4MAPPED | ALL


def get_default_auto_select_family() -> bool:
    return bool(_defaults['auto_select_family'])


def set_default_auto_select_family(value: bool) -> None:
    if not isinstance(value, bool):
        raise errors.ERR_INVALID_ARG_TYPE('value', 'boolean', value)
    _defaults['auto_select_family'] = value


def get_default_auto_select_family_attempt_timeout() -> int:
    return int(_defaults['auto_select_family_attempt_timeout'])


def set_default_auto_select_family_attempt_timeout(value: int) -> None:
    """Node's rule: an int32 >= 1 (``validateInt32``); below 10 it counts as 10."""
    _defaults['auto_select_family_attempt_timeout'] = attempt_timeout(value, 'value')


def attempt_timeout(value: Any, name: str) -> int:
    """A valid ``autoSelectFamilyAttemptTimeout`` in ms: int32 >= 1, raised to 10 (Node)."""
    return max(MIN_ATTEMPT_TIMEOUT, netargs.validate_int32(value, name, 1))



_OBJECT_MODE_OPTIONS = (('object_mode', 'objectMode'), ('readable_object_mode', 'readableObjectMode'),
                        ('writable_object_mode', 'writableObjectMode'))


class SocketConfig:
    """The validated constructor options of a Socket (shared by a server's connections).

    Raises the Node error for a bad option, as ``new net.Socket(options)`` throws.
    """

    __slots__ = ('stream_options', 'block_list', 'no_delay', 'keep_alive', 'keep_alive_delay',
                 'onread', 'server')

    @classmethod
    def of_server(cls, server: Any) -> 'SocketConfig':
        """The options a server gives each connection it accepts (``server`` is kept:
        a layer above, TLS, reads its own options off it)."""
        config = cls({name: getattr(server, name) for name in (
            'allow_half_open', 'high_water_mark', 'no_delay', 'keep_alive',
            'keep_alive_initial_delay')})
        config.server = server
        return config

    def __init__(self, opts: Dict[str, Any]):
        for name in ('allow_half_open', 'no_delay', 'keep_alive', 'readable', 'writable'):
            netargs.check_bool(opts, name)
        delay_ms = netargs.keep_alive_delay(opts.get('keep_alive_initial_delay'))
        for name, node_name in _OBJECT_MODE_OPTIONS:
            if opts.get(name):  # Node: a socket is a byte stream
                raise errors.ERR_INVALID_ARG_VALUE('options.' + node_name, opts[name], 'is not supported')
        onread = opts.get('onread')
        if onread is not None and not isinstance(onread, dict):
            raise errors.ERR_INVALID_ARG_TYPE('options.onread', 'Object', onread)
        self.stream_options: Dict[str, Any] = {
            'allow_half_open': bool(opts.get('allow_half_open', False)),
            'high_water_mark': opts.get('high_water_mark'),
            'readable_high_water_mark': opts.get('readable_high_water_mark'),
            'writable_high_water_mark': opts.get('writable_high_water_mark'),
            'readable': opts.get('readable'),
            'writable': opts.get('writable'),
            'emit_close': False,   # 'close' carries had_error: emitted by _destroy
            'auto_destroy': True,
        }
        self.block_list: Any = opts.get('block_list')
        self.no_delay: bool = bool(opts.get('no_delay', False))
        self.keep_alive: bool = bool(opts.get('keep_alive', False))
        self.keep_alive_delay: int = netargs.keep_alive_seconds(delay_ms)  # Node's ~~(ms / 1000)
        self.onread: Optional[Dict[str, Any]] = onread
        self.server: Any = None  # set by of_server: a layer above (TLS) reads its own options


def tcp_connect_options(options: Dict[str, Any]) -> Tuple[str, int, int, Optional[str],
                                                          Optional[int], Optional[Callable[..., Any]],
                                                          Any, int, Any]:
    """``(host, port, family, local_address, local_port, lookup, auto, attempt_ms, hints)``.

    ``hints`` is what the lookup is given (:func:`lookup_hints`).
    """
    port = options.get('port')
    if not isinstance(port, (int, float, str)) or isinstance(port, bool):
        raise errors.ERR_INVALID_ARG_TYPE('options.port', ['number', 'string'], port)
    port = netargs.validate_port(port)
    host = options.get('host') or 'localhost'
    if not isinstance(host, str):
        raise errors.ERR_INVALID_ARG_TYPE('options.host', 'string', host)
    local_address = options.get('local_address')
    if local_address is not None and not is_ip(local_address):
        raise errors.ERR_INVALID_IP_ADDRESS(local_address)
    local_port = options.get('local_port')
    if local_port is not None and not is_number(local_port):
        raise errors.ERR_INVALID_ARG_TYPE('options.localPort', 'number', local_port)
    if local_port is not None:
        local_port = netargs.validate_port(local_port, 'options.localPort')
    family = _socket_to_dns_family(options.get('family'))
    auto = options.get('auto_select_family')
    if auto is None:
        auto = get_default_auto_select_family()
    elif not isinstance(auto, bool):
        raise errors.ERR_INVALID_ARG_TYPE('options.autoSelectFamily', 'boolean', auto)
    attempt_ms = options.get('auto_select_family_attempt_timeout')
    if attempt_ms is None:
        attempt_ms = get_default_auto_select_family_attempt_timeout()
    else:
        attempt_ms = attempt_timeout(attempt_ms, 'options.autoSelectFamilyAttemptTimeout')
    # as Node: a lookup function is only looked at when there is a name to look up
    lookup = None if is_ip(host) else netargs.check_fn(options, 'lookup')
    hints = lookup_hints(options.get('hints'), family, not is_ip(host) and lookup is None)
    if family not in (0, 4, 6):
        raise errors.ERR_INVALID_ARG_VALUE('options.family', family, 'must be one of: 0, 4, 6')
    return host, port, family, local_address, local_port, lookup, auto, attempt_ms, hints


def _socket_to_dns_family(family: Any) -> Any:
    """Node's ``socketToDnsFamily``: ``'IPv4'``/``'IPv6'`` become 4/6 (gnet also
    takes them in lower case), None (undefined) is 0."""
    if family is None:
        return 0
    if isinstance(family, str):
        return {'IPv4': 4, 'ipv4': 4, 'IPv6': 6, 'ipv6': 6}.get(family, family)
    return family


def lookup_hints(value: Any, family: Any, validate: bool) -> Any:
    """The ``hints`` Node gives the lookup of a connect (``dnsopts.hints``).

    As ``lookupAndConnect``: ``options.hints || 0``, and ``ADDRCONFIG`` in place
    of 0 when the family is neither 4 nor 6.  ``validate`` (the default lookup,
    Node's ``dns.lookup``) then requires a number (``ERR_INVALID_ARG_TYPE``),
    takes it as an unsigned 32-bit int and allows only the bits of
    ``ADDRCONFIG | V4MAPPED | ALL`` (else ``ERR_INVALID_ARG_VALUE``, naming
    that int).  A custom lookup gets the value unchecked, as in Node.
    """
    hints = 0 if js_falsy(value) else value
    if family not in (4, 6) and _is_zero(hints):
        hints = ADDRCONFIG
    if not validate:
        return hints
    if not is_number(hints):
        raise errors.ERR_INVALID_ARG_TYPE('options.hints', 'number', hints)
    hints = _to_uint32(hints)
    if hints & ~VALID_HINTS:
        raise errors.ERR_INVALID_ARG_VALUE('hints', hints)
    return hints


def _is_zero(value: Any) -> bool:
    return is_number(value) and value == 0


def _to_uint32(value: float) -> int:
    """JS ``value >>> 0``."""
    return to_int32(value) % 2 ** 32
