"""The runtime: gnet's scheduling on gevent's hub.

``loop`` (ticks, immediates, timers, references, ``run()``), ``runner``
(the greenlet of one socket or server) and ``sync`` (greenlet-native
helpers).  Importing this package plugs the loop into the stream state
machines (:mod:`gnet.streams.hooks`), which never import the runtime.
"""

from ..streams import hooks as _hooks
from . import loop, sync

_hooks.install(loop.next_tick, loop.report, sync.iterate)
