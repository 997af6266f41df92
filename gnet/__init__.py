"""gnet: Node.js's ``node:net`` for Python, on gevent greenlets.

``import gnet as net`` and port a Node program line by line: every public
name exists in snake_case and in Node's camelCase (``gnet.create_server`` is
``gnet.createServer``; the Node names are written out at the end of this
module and of each class by ``tools/node_names.py``).  docs/api.md is the reference; the contracts are
stated once, in :data:`gnet.interfaces.CONTRACTS`.
"""

from . import errors, interfaces
from .abort import AbortController, AbortSignal
from .events import EventEmitter
from .net.blocklist import BlockList
from .net.ip import is_ip, is_ipv4, is_ipv6
from .net.server import Server, create_server
from .net.socket import (
    Socket,
    connect,
    create_connection,
    get_default_auto_select_family,
    get_default_auto_select_family_attempt_timeout,
    set_default_auto_select_family,
    set_default_auto_select_family_attempt_timeout,
)
from .net.socketaddress import SocketAddress
from .runtime.loop import (
    clear_immediate,
    clear_interval,
    clear_timeout,
    next_tick,
    run,
    set_immediate,
    set_interval,
    set_timeout,
)
from .runtime.process import process
from .runtime.sync import once, spawn
from .streams.duplex import Duplex, PassThrough, Transform
from .streams.pipe import finished, pipeline
from .streams.readable import Readable
from .streams.writable import Writable

__version__ = '0.2.0'

__all__ = [
    'errors', 'interfaces', 'AbortController', 'AbortSignal', 'BlockList', 'EventEmitter',
    'is_ip', 'is_ipv4', 'is_ipv6', 'run', 'next_tick', 'set_immediate', 'clear_immediate',
    'set_timeout', 'clear_timeout', 'set_interval', 'clear_interval', 'Server',
    'create_server', 'Socket', 'connect', 'create_connection',
    'get_default_auto_select_family', 'set_default_auto_select_family',
    'get_default_auto_select_family_attempt_timeout',
    'set_default_auto_select_family_attempt_timeout', 'SocketAddress', 'Duplex',
    'PassThrough', 'Transform', 'Readable', 'Writable', 'finished', 'pipeline', 'once',
    'spawn', 'process',
]

# Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
isIP = is_ip
isIPv4 = is_ipv4
isIPv6 = is_ipv6
nextTick = next_tick
setImmediate = set_immediate
clearImmediate = clear_immediate
setTimeout = set_timeout
clearTimeout = clear_timeout
setInterval = set_interval
clearInterval = clear_interval
createServer = create_server
createConnection = create_connection
getDefaultAutoSelectFamily = get_default_auto_select_family
setDefaultAutoSelectFamily = set_default_auto_select_family
getDefaultAutoSelectFamilyAttemptTimeout = get_default_auto_select_family_attempt_timeout
setDefaultAutoSelectFamilyAttemptTimeout = set_default_auto_select_family_attempt_timeout
__all__ += [
    'isIP', 'isIPv4', 'isIPv6', 'nextTick', 'setImmediate', 'clearImmediate', 'setTimeout',
    'clearTimeout', 'setInterval', 'clearInterval', 'createServer', 'createConnection',
    'getDefaultAutoSelectFamily', 'setDefaultAutoSelectFamily',
    'getDefaultAutoSelectFamilyAttemptTimeout', 'setDefaultAutoSelectFamilyAttemptTimeout',
]
