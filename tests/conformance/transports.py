"""Socket transports for the contract suite: connected socket pairs, plain or TLS.

Each factory starts a one-shot server on loopback (or a Unix socket in a
temporary directory) with the layer's server (``gnet.testing.layers``:
``net`` or ``tls``), connects the layer's client, waits until both ends are
ready for the application (``'connect'``/``'connection'``, or
``'secureConnect'``/``'secureConnection'``), closes the listener and returns
``(client, server_side)``.  Options apply to both ends.
"""

import os
import shutil
import tempfile
from typing import Any, Optional, Tuple

from net_helpers import ipv6_available

import gnet
from gnet.testing.layers import PLAIN, SocketLayer

WAIT = 5.0


IPV6 = ipv6_available()


def _pair(layer: SocketLayer, listen_args: Tuple[Any, ...], connect_args: Any,
          high_water_mark: Optional[int], allow_half_open: bool) -> Tuple[Any, Any]:
    opts: dict = {'allow_half_open': allow_half_open}
    if high_water_mark is not None:
        opts['high_water_mark'] = high_water_mark
    server = layer.create_server(opts, None)
    server.listen(*listen_args)
    gnet.once(server, 'listening', timeout=WAIT)
    accepted = []
    server.once(layer.connection_event, accepted.append)
    target = connect_args(server.address())
    client = layer.socket(opts)
    client.connect(target)
    gnet.once(client, layer.ready_event, timeout=WAIT)
    if not accepted:
        gnet.once(server, layer.connection_event, timeout=WAIT)
    server.close()
    return client, accepted[0]


def make_tcp4_pair(high_water_mark: Optional[int] = None, allow_half_open: bool = True,
                   layer: SocketLayer = PLAIN):
    return _pair(layer, (0, '127.0.0.1'), lambda a: {'port': a['port'], 'host': '127.0.0.1'},
                 high_water_mark, allow_half_open)


def make_tcp6_pair(high_water_mark: Optional[int] = None, allow_half_open: bool = True,
                   layer: SocketLayer = PLAIN):
    return _pair(layer, (0, '::1'), lambda a: {'port': a['port'], 'host': '::1'},
                 high_water_mark, allow_half_open)


def make_ipc_pair(high_water_mark: Optional[int] = None, allow_half_open: bool = True,
                  layer: SocketLayer = PLAIN):
    directory = tempfile.mkdtemp(prefix='gnet-')
    path = os.path.join(directory, 's.sock')
    try:
        return _pair(layer, (path,), lambda a: {'path': a}, high_water_mark, allow_half_open)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
