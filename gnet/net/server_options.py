"""The options a server gives every connection it accepts, as server properties.

Owns: ``allow_half_open``, ``pause_on_connect``, ``no_delay``, ``keep_alive``,
``keep_alive_initial_delay``, ``high_water_mark`` and ``block_list`` (Node's
``server.allowHalfOpen``, ...), each validated where it is set -- so that a bad
value raises in the caller, never in the accept loop -- and the
:class:`SocketConfig` of accepted sockets, made from them once and again after
one changes.  :class:`gnet.net.server.Server` subclasses :class:`ServerOptions`.
Must not import: the server module (it subclasses this one).
"""

from typing import Any, Callable, Dict, Generic, Optional, TypeVar, overload

from ..events import EventEmitter
from . import args as netargs
from .socket_options import SocketConfig

__all__ = ['ServerOptions', 'ServerOption', 'OPTION_NAMES']

T = TypeVar('T')

#: the options, in the order Server's constructor sets them
OPTION_NAMES = ('allow_half_open', 'pause_on_connect', 'no_delay', 'keep_alive',
                'keep_alive_initial_delay', 'high_water_mark', 'block_list')


class ServerOption(Generic[T]):
    """A read/write option of :class:`ServerOptions`, stored as ``_<name>``.

    Reading gives the value ``check`` returned; setting calls ``check`` (which
    raises on a bad value) and makes connections accepted from then on see
    the new value.
    """

    def __init__(self, check: Callable[[Any], T], doc: str) -> None:
        self._check = check
        self._key = ''
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self._key = '_' + name

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> 'ServerOption[T]': ...

    @overload
    def __get__(self, obj: 'ServerOptions', owner: Optional[type] = None) -> T: ...

    def __get__(self, obj: Optional['ServerOptions'], owner: Optional[type] = None) -> Any:
        return self if obj is None else getattr(obj, self._key)

    def __set__(self, obj: 'ServerOptions', value: Any) -> None:
        setattr(obj, self._key, self._check(value))
        obj._socket_config = None


class ServerOptions(EventEmitter):
    """The options of :data:`OPTION_NAMES` on a server (Node's ``server.<option>``)."""

    allow_half_open: ServerOption[bool] = ServerOption(
        netargs.boolean_option('allow_half_open'), 'Accepted sockets stay writable after the peer ends.')
    pause_on_connect: ServerOption[bool] = ServerOption(
        netargs.boolean_option('pause_on_connect'), 'Accepted sockets start paused (no reading).')
    no_delay: ServerOption[bool] = ServerOption(
        netargs.boolean_option('no_delay'), "Accepted sockets disable Nagle's algorithm.")
    keep_alive: ServerOption[bool] = ServerOption(
        netargs.boolean_option('keep_alive'), 'Accepted sockets enable TCP keep-alive.')
    keep_alive_initial_delay: ServerOption[float] = ServerOption(
        netargs.keep_alive_delay, 'Idle time (ms) before the first keep-alive probe.')
    high_water_mark: ServerOption[Optional[int]] = ServerOption(
        netargs.high_water_mark, "Accepted sockets' high-water mark; None: the default.")
    block_list: ServerOption[Any] = ServerOption(
        netargs.block_list_option, 'A BlockList: peers it blocks are closed at once; or None.')

    _socket_config: Optional[SocketConfig]

    def _set_options(self, opts: Dict[str, Any]) -> None:
        """Every option from merged constructor options (absent ones get their default)."""
        self._socket_config = None
        for name in OPTION_NAMES:
            setattr(self, name, opts.get(name))

    def _connection_config(self) -> SocketConfig:
        """The validated options of the next accepted socket."""
        config = self._socket_config
        if config is None:
            config = self._socket_config = SocketConfig.of_server(self)
        return config

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    allowHalfOpen = allow_half_open
    pauseOnConnect = pause_on_connect
    noDelay = no_delay
    keepAlive = keep_alive
    keepAliveInitialDelay = keep_alive_initial_delay
    highWaterMark = high_water_mark
    blockList = block_list
