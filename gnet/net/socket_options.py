"""Validated options of a Socket: constructor options and TCP connect options.

Owns: the checks Node makes in ``new net.Socket(options)`` and in
``socket.connect(options)`` for TCP, and the process-wide auto-select-family
defaults.  Raises the Node error class (with its ``.code``) for bad input.
Must not import: net sockets, servers (they import this).
"""

from typing import Any, Callable, Dict, Optional, Tuple

from .. import errors
from . import args as netargs
from .ip import is_ip

__all__ = ['SocketConfig', 'tcp_connect_options', 'get_default_auto_select_family',
           'set_default_auto_select_family', 'get_default_auto_select_family_attempt_timeout',
           'set_default_auto_select_family_attempt_timeout']

_defaults: Dict[str, Any] = {'auto_select_family': True, 'auto_select_family_attempt_timeout': 250}

#: Node raises a shorter connection attempt timeout to this many ms
MIN_ATTEMPT_TIMEOUT = 10


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
                 'onread')

    @classmethod
    def of_server(cls, server: Any) -> 'SocketConfig':
        """The options a server gives each connection it accepts."""
        return cls({name: getattr(server, name) for name in (
            'allow_half_open', 'high_water_mark', 'no_delay', 'keep_alive',
            'keep_alive_initial_delay')})

    def __init__(self, opts: Dict[str, Any]):
        for name in ('allow_half_open', 'no_delay', 'keep_alive', 'readable', 'writable'):
            netargs.check_bool(opts, name)
        netargs.check_int(opts, 'keep_alive_initial_delay')
        for name, node_name in _OBJECT_MODE_OPTIONS:
            if opts.get(name):  # Node: a socket is a byte stream
                raise errors.ERR_INVALID_ARG_VALUE('options.' + node_name, opts[name], 'is not supported')
        onread = opts.get('onread')
        if onread is not None and not isinstance(onread, dict):
            raise errors.ERR_INVALID_ARG_TYPE('options.onread', 'Object', onread)
        self.stream_options = {
            'allow_half_open': bool(opts.get('allow_half_open', False)),
            'high_water_mark': opts.get('high_water_mark'),
            'readable_high_water_mark': opts.get('readable_high_water_mark'),
            'writable_high_water_mark': opts.get('writable_high_water_mark'),
            'readable': opts.get('readable'),
            'writable': opts.get('writable'),
            'emit_close': False,   # 'close' carries had_error: emitted by _destroy
            'auto_destroy': True,
        }
        self.block_list = opts.get('block_list')
        self.no_delay = bool(opts.get('no_delay', False))
        self.keep_alive = bool(opts.get('keep_alive', False))
        self.keep_alive_delay = int(opts.get('keep_alive_initial_delay') or 0) // 1000
        self.onread = onread


def tcp_connect_options(options: Dict[str, Any]) -> Tuple[str, int, int, Optional[str],
                                                          Optional[int], Optional[Callable[..., Any]],
                                                          Any, int, int]:
    """``(host, port, family, local_address, local_port, lookup, auto, attempt_ms, hints)``."""
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
    if local_port is not None and (isinstance(local_port, bool)
                                   or not isinstance(local_port, (int, float))):
        raise errors.ERR_INVALID_ARG_TYPE('options.localPort', 'number', local_port)
    if local_port is not None:
        local_port = netargs.validate_port(local_port, 'options.localPort')
    family = options.get('family', 0)
    if family in ('IPv4', 'ipv4'):
        family = 4
    elif family in ('IPv6', 'ipv6'):
        family = 6
    if family not in (0, 4, 6):
        raise errors.ERR_INVALID_ARG_VALUE('options.family', family, 'must be one of: 0, 4, 6')
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
    hints = netargs.check_int(options, 'hints') or 0
    return host, port, family, local_address, local_port, lookup, auto, attempt_ms, hints
