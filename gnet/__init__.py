"""gnet: Node.js's ``node:net`` for Python, on gevent greenlets.

``import gnet as net`` and port a Node program line by line: every public
name exists in snake_case and in Node's camelCase (``gnet.create_server`` is
``gnet.createServer``).  See API.md for the contract.
"""

from . import errors, interfaces
from .abort import AbortController, AbortSignal
from .events import EventEmitter
from .loop import (clear_immediate, clear_interval, clear_timeout, next_tick, run,
                   set_immediate, set_interval, set_timeout)
from .naming import module_aliases
from .sync import once

__version__ = '0.1.0'

__all__ = [
    'errors', 'interfaces', 'AbortController', 'AbortSignal', 'EventEmitter',
    'run', 'next_tick', 'set_immediate', 'clear_immediate', 'set_timeout',
    'clear_timeout', 'set_interval', 'clear_interval', 'once',
]

__all__ += module_aliases(globals(), __all__)
