"""Socket transports for the contract suite: connected net.Socket pairs.

Each factory starts a one-shot server on loopback (or a Unix socket in a
temporary directory), connects a client, waits for both ends, closes the
listener and returns ``(client, server_side)``.  Options apply to both ends.
"""

import os
import shutil
import tempfile
from typing import Any, Optional, Tuple

from net_helpers import ipv6_available

import gnet

WAIT = 5.0


IPV6 = ipv6_available()


def _pair(listen_args: Tuple[Any, ...], connect_args: Any, high_water_mark: Optional[int],
          allow_half_open: bool) -> Tuple[Any, Any]:
    opts = {'allow_half_open': allow_half_open}
    if high_water_mark is not None:
        opts['high_water_mark'] = high_water_mark
    server = gnet.create_server(opts)
    server.listen(*listen_args)
    gnet.once(server, 'listening', timeout=WAIT)
    accepted = []
    server.once('connection', accepted.append)
    target = connect_args(server.address())
    client = gnet.Socket(opts)
    client.connect(target)
    gnet.once(client, 'connect', timeout=WAIT)
    if not accepted:
        gnet.once(server, 'connection', timeout=WAIT)
    server.close()
    return client, accepted[0]


def make_tcp4_pair(high_water_mark: Optional[int] = None, allow_half_open: bool = True):
    return _pair((0, '127.0.0.1'), lambda a: {'port': a['port'], 'host': '127.0.0.1'},
                 high_water_mark, allow_half_open)


def make_tcp6_pair(high_water_mark: Optional[int] = None, allow_half_open: bool = True):
    return _pair((0, '::1'), lambda a: {'port': a['port'], 'host': '::1'},
                 high_water_mark, allow_half_open)


def make_ipc_pair(high_water_mark: Optional[int] = None, allow_half_open: bool = True):
    directory = tempfile.mkdtemp(prefix='gnet-')
    path = os.path.join(directory, 's.sock')
    try:
        return _pair((path,), lambda a: {'path': a}, high_water_mark, allow_half_open)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
