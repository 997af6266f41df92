"""Node's ``process``, as far as an event loop needs it: the uncaught-exception events.

Owns: :data:`process`, the one :class:`Process` (an ``EventEmitter``) whose
``'uncaughtException'`` ``(err, origin)``, ``'uncaughtExceptionMonitor'``
``(err, origin)`` and ``'unhandledRejection'`` ``(err, greenlet)``
listeners :meth:`gnet.runtime.loop.Loop.report` consults -- the rule itself
lives there, not here.
Must not import: gevent, the loop (it imports this module), sockets.
"""

from ..events import EventEmitter
from ..naming import node_aliases

__all__ = ['Process', 'process']


@node_aliases
class Process(EventEmitter):
    """``gnet.process``: ``process.on('uncaughtException', fn)`` ports as written.

    While an ``'uncaughtException'`` listener is registered, an uncaught
    exception is handed to it as ``fn(err, origin)`` (``origin`` is
    ``'uncaughtException'``, or ``'unhandledRejection'`` for a
    :func:`gnet.spawn` greenlet) instead of being raised out of
    ``gnet.run()``, and the loop goes on serving.
    """

    def __repr__(self) -> str:
        return '<gnet.process>'


#: the process-wide emitter (Node's global ``process``)
process: Process = Process()
