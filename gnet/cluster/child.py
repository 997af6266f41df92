"""The worker side of :mod:`gnet.cluster`: the channel to the primary, shared listens, drain.

Owns: a worker process's :class:`WorkerSelf` (Node's ``cluster.worker``),
the listen hook that makes a worker's TCP or Unix-path ``listen()`` share
the listening socket through the primary, the round-robin listen handle
that receives connections the primary accepted, the graceful shutdown a
primary asks for, and :func:`main`, the entry point of a worker started
with a target.
Must not import: :mod:`gnet.cluster` (it imports this module).

Listening in a worker (TCP or a Unix path, not ``exclusive``): the worker
sends the resolved address (a relative path made absolute in the worker's
directory) to the primary and waits for the answer; the primary binds
each address once and, for a path, removes the socket file when it closes
that socket.  Under ``SCHED_RR`` the primary keeps the listening socket,
accepts, and sends each connection to the next worker; the worker's
server "accepts" them from a :class:`RoundRobinHandle`.  Under
``SCHED_NONE`` the primary sends a duplicate of its listening socket and
every worker accepts on it.  With ``exclusive`` the worker binds its own
socket with ``SO_REUSEPORT`` and the kernel spreads connections over the
workers (an ``exclusive`` path is bound by the worker itself, as in Node:
a second worker gets EADDRINUSE).  Handles and descriptors are not
shared: they listen as in a single process.

Shutdown: on the primary's ``'shutdown'`` the worker emits ``'shutdown'``
(``timeout_ms``) on :data:`WorkerSelf`, closes every server that listened
through the cluster (no new connection; the ones open may finish), waits
for them to close, destroys what is left at the deadline, and exits 0.  A
worker whose channel to the primary closes exits at once, as in Node.
"""

import errno
import importlib
import json
import logging
import os
import runpy
import sys
import traceback
import weakref
from collections import deque
from typing import Any, Callable, Deque, Dict, List, MutableSet, Optional, Tuple, Union

import _socket
import gevent
from gevent.event import AsyncResult

from .. import errors
from ..events import EventEmitter
from ..naming import node_aliases
from ..net.handles import StreamHandle, handle_for
from ..net.handles.descriptors import close_fd
from ..net.handles.listen import ListenHandle, PipeListenHandle, TCPListenHandle, adopt_listen_handle
from ..net.server import Server
from ..runtime import loop
from .channel import Channel

__all__ = ['WorkerSelf', 'RoundRobinHandle', 'bootstrap', 'main', 'ENV_ID', 'ENV_FD']

log: logging.Logger = logging.getLogger('gnet.cluster')

ENV_ID = 'GNET_CLUSTER_WORKER_ID'
ENV_FD = 'GNET_CLUSTER_FD'
ENV_TARGET = 'GNET_CLUSTER_TARGET'        # JSON: {'module'|'file', 'name', 'args'}
#: how long a worker's listen() waits for the primary's answer
BIND_TIMEOUT_S = 10.0
#: listeners on the worker that hold its channel (Node: on ``process``)
_CHANNEL_EVENTS = frozenset(('message', 'disconnect'))


@node_aliases
class WorkerSelf(EventEmitter):
    """Node's ``cluster.worker`` inside a worker: ``id``, ``send``, ``disconnect``.

    Events: ``'message'(message, handle)``, ``'shutdown'(timeout_ms)``,
    ``'disconnect'``.

    It is Node's ``process`` in a worker as well, and follows its rule: the
    channel to the primary keeps the worker alive while ``'message'`` or
    ``'disconnect'`` listeners are registered here (each one counts, through
    ``'newListener'``/``'removeListener'`` as in Node's ``_forkChild``), and
    while a frame is being written.  Unlike Node's cluster, gnet registers
    no listener of its own, so a worker without them exits once nothing else
    is left (Node's worker never does: its cluster listens on ``process``).
    """

    def __init__(self, worker_id: int, channel: Channel):
        EventEmitter.__init__(self)
        self.id = worker_id
        self.channel = channel
        self.exited_after_disconnect: bool = False
        self.state: str = 'online'
        self._seq = 0
        self._pending: Dict[int, Any] = {}  # seq -> AsyncResult of the primary's answer
        self._rr: Dict[str, 'RoundRobinHandle'] = {}
        self._servers: MutableSet[Server] = weakref.WeakSet()
        self._shutting_down = False
        channel.internal_hook = self._on_control
        channel.on('message', lambda message, handle: self.emit('message', message, handle))
        channel.on('close', self._on_channel_close)
        channel.on('error', lambda err: log.warning('worker %d: channel error: %s', worker_id, err))
        self.on('newListener', self._on_new_listener)
        self.on('removeListener', self._on_remove_listener)

    @property
    def process(self) -> Any:
        return os.getpid()

    def send(self, message: Any, handle: Any = None, callback: Optional[Callable[..., Any]] = None) -> bool:
        """``process.send`` in a Node worker: a message to the primary."""
        return self.channel.send(message, handle, callback)

    def is_connected(self) -> bool:
        return not self.channel.closed

    def is_dead(self) -> bool:
        return False

    def disconnect(self) -> None:
        """Close this worker's servers, let their connections end, then exit (Node's disconnect)."""
        self.exited_after_disconnect = True
        self._drain(None)

    # -- what keeps the worker alive (Node's _forkChild) -----------------------------------
    def _on_new_listener(self, event: str, _listener: Any) -> None:
        if event in _CHANNEL_EVENTS:
            self.channel.ref_counted()

    def _on_remove_listener(self, event: str, _listener: Any) -> None:
        if event in _CHANNEL_EVENTS:
            self.channel.unref_counted()

    # -- control frames (in the channel's reader: never block) ------------------------------
    def _on_control(self, kind: str, data: Any, fd: Optional[int]) -> None:
        if kind == 'bound':
            waiter = self._pending.pop(data.get('seq'), None)
            if waiter is not None:
                waiter.set((data, fd))
                return
        elif kind == 'conn':
            handle = self._rr.get(data.get('key'))
            if handle is not None and fd is not None:
                self.channel.send_internal('accepted', data.get('seq'))  # ours now
                handle.push(fd, data.get('peer'))
                return
            self.channel.send_internal('rejected', data.get('seq'))  # closed here: deal it again
        elif kind == 'shutdown':
            loop.get_loop().runner.next_tick(self._drain, data.get('timeout_ms'))
        if fd is not None:
            close_fd(fd)

    # -- the listen hook -------------------------------------------------------------------
    def listen_hook(self, server: Server, address: str, port: int, family: int, backlog: int,
                    ipv6_only: bool, reuse_port: bool, exclusive: bool,
                    readable_all: bool = False, writable_all: bool = False) -> ListenHandle:
        """Bind for ``server.listen`` in a worker; errors are ``SysError`` as from a bind.

        ``net_server.cluster_listen``: ``family`` AF_UNIX means ``address`` is
        a path (``port`` -1) with the file-mode options of ``listen``.
        """
        if self._shutting_down:
            raise errors.SysError(errno.ECANCELED, 'listen', address, _port_of(family, port))
        hub = loop.get_loop().hub
        if exclusive and family == _socket.AF_UNIX:
            handle: ListenHandle = PipeListenHandle.bind(hub, address, backlog, readable_all,
                                                         writable_all)
        elif exclusive:
            handle = TCPListenHandle.bind(hub, address, port, family, backlog, ipv6_only, True)
        else:
            handle = self._ask_primary({
                'address': _shared_path(address) if family == _socket.AF_UNIX else address,
                'port': port, 'family': family, 'backlog': backlog, 'ipv6_only': ipv6_only,
                'readable_all': readable_all, 'writable_all': writable_all}, address)
        self._servers.add(server)
        sockname = handle.sockname()
        server.once('listening', lambda *_: self.channel.send_internal('listening', sockname))
        return handle

    def _ask_primary(self, request: Dict[str, Any], shown: str) -> ListenHandle:
        """The primary's answer to a ``'bind'`` request; ``shown`` is the address asked for.

        A path keeps the name the server was given as its ``address()``,
        as in a single process; a TCP address reports what the primary bound.
        """
        family = request['family']
        port = _port_of(family, request['port'])
        self._seq += 1
        seq = request['seq'] = self._seq
        waiter: Any = AsyncResult()
        self._pending[seq] = waiter
        self.channel.send_internal('bind', request)
        try:
            reply, fd = waiter.get(timeout=BIND_TIMEOUT_S)
        except gevent.Timeout:
            self._pending.pop(seq, None)
            raise errors.SysError(errno.ETIMEDOUT, 'listen', shown, port) from None
        if reply.get('errno'):
            raise errors.SysError(reply['errno'], 'listen', shown, port,
                                  extra=os.strerror(reply['errno']).lower())
        hub = loop.get_loop().hub
        if fd is not None:  # SCHED_NONE: the primary's listening socket itself (never unlinked here)
            shared = adopt_listen_handle(fd, hub, request['backlog'], dup=False)
            if isinstance(shared, PipeListenHandle):
                shared.path = shown
            return shared
        address = shown if family == _socket.AF_UNIX else reply['sockname']
        handle = RoundRobinHandle(self, reply['key'], family, address, hub)
        self._rr[reply['key']] = handle
        return handle

    # -- shutdown ---------------------------------------------------------------------------
    def _drain(self, timeout_ms: Optional[int]) -> None:
        """Close the cluster's servers; exit when they closed or at the deadline."""
        if self._shutting_down:
            return
        self._shutting_down = True
        self.state = 'disconnected'
        self.emit('shutdown', timeout_ms)
        servers = [s for s in self._servers if s.listening]
        for server in servers:
            if isinstance(server._handle, RoundRobinHandle):
                server._accept_batch()  # connections the primary already handed us
        left = {'n': len(servers)}

        def closed(*_: Any) -> None:
            left['n'] -= 1
            if left['n'] == 0:
                _exit(0)
        for server in servers:
            server.once('close', closed)
            server.close()
        if not servers:
            _exit(0)
            return
        if timeout_ms is not None:
            loop.get_loop().set_timeout(self._deadline, max(1, timeout_ms), servers)

    def _deadline(self, servers: List[Server]) -> None:
        for server in servers:
            for conn in list(server._connections):
                conn.destroy()
        loop.get_loop().set_timeout(_exit, 100, 0)

    def _on_channel_close(self) -> None:
        if not self._shutting_down:
            log.warning('worker %d: the primary went away; exiting', self.id)
        self.emit('disconnect')
        _exit(0)

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    isConnected = is_connected
    isDead = is_dead
    listenHook = listen_hook


class RoundRobinHandle(ListenHandle):
    """A listen handle fed by the primary (SCHED_RR): connections arrive over the channel.

    A pipe's read end stands in for the listening descriptor so the
    server's accept loop wakes exactly as for a real socket.
    """

    __slots__ = ('_owner', '_key', '_family', '_address', '_queue', '_wake_w')

    def __init__(self, owner: WorkerSelf, key: str, family: int,
                 address: Union[Dict[str, Any], str, None], hub: Any):
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        os.set_blocking(write_fd, False)
        self.sock: Any = None
        self.fileno: int = read_fd
        self.read_watcher: Any = hub.loop.io(read_fd, 1)
        self.read_watcher.ref = False
        self.hub = hub
        self._reserve = None
        self._owner = owner
        self._key = key
        self._family = family
        self._address = address  # what address() reports: a TCP address dict or the path
        self._queue: Deque[Tuple[int, Any]] = deque()
        self._wake_w = write_fd

    def push(self, fd: int, peer: Any) -> None:
        """In the channel's reader: one more connection to accept."""
        if self.fileno < 0:
            close_fd(fd)
            return
        self._queue.append((fd, tuple(peer) if isinstance(peer, list) else peer))
        try:
            os.write(self._wake_w, b'.')
        except BlockingIOError:
            pass  # the pipe is full of wake-ups already

    def try_accept(self) -> Optional[Tuple[StreamHandle, Any]]:
        if not self._queue:
            try:
                while os.read(self.fileno, 4096):
                    pass
            except BlockingIOError:
                pass
            if not self._queue:
                return None
        fd, peer = self._queue.popleft()
        return self.stream_handle(_socket.socket(self._family, _socket.SOCK_STREAM, 0, fd)), peer

    def stream_handle(self, sock: Any) -> StreamHandle:
        return handle_for(sock, self.hub)  # TCP or Unix, as the primary's socket is

    def shed_pending(self) -> int:
        return 0

    def retake_reserve(self) -> None:
        pass  # no spare descriptor: the primary sheds its own backlog

    def sockname(self) -> Union[Dict[str, Any], str, None]:
        address = self._address
        return dict(address) if isinstance(address, dict) else address

    def close(self) -> None:
        if self.fileno < 0:
            return
        self.read_watcher.stop()
        self.read_watcher.close()
        close_fd(self.fileno)
        close_fd(self._wake_w)
        self.fileno = -1
        while self._queue:
            close_fd(self._queue.popleft()[0])
        self._owner._rr.pop(self._key, None)
        self._owner.channel.send_internal('unbind', self._key)


def _port_of(family: int, port: int) -> Optional[int]:
    """The port for an error message: none for a path."""
    return None if family == _socket.AF_UNIX else port


def _shared_path(path: str) -> str:
    """The path the primary binds: absolute (workers and primary may differ in cwd), or abstract."""
    if path.startswith('\0'):
        return path
    return os.path.abspath(path)


def _exit(code: int) -> None:
    """Leave the worker now (after flushing what it printed)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - exiting anyway
            pass
    os._exit(code)


_self: Optional[WorkerSelf] = None


def bootstrap() -> Optional[WorkerSelf]:
    """In a worker process (its environment says so): connect to the primary, once."""
    global _self
    if _self is not None or ENV_ID not in os.environ:
        return _self
    worker_id = int(os.environ[ENV_ID])
    fd = int(os.environ[ENV_FD])
    os.set_inheritable(fd, False)
    channel = Channel(fd, ref=False)
    _self = WorkerSelf(worker_id, channel)
    from ..net import server as net_server
    if hasattr(net_server, 'cluster_listen'):  # the Server hook (see docs/scaling.md)
        net_server.cluster_listen = _self.listen_hook
    channel.send_internal('online', os.getpid())
    return _self


def _load_target(spec: Dict[str, Any]) -> Callable[..., Any]:
    if spec.get('file'):
        namespace = runpy.run_path(spec['file'], run_name='__gnet_cluster_worker__')
        obj: Any = namespace[spec['name'].split('.')[0]]
        rest = spec['name'].split('.')[1:]
    else:
        obj = importlib.import_module(spec['module'])
        rest = spec['name'].split('.')
    for part in rest:
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def main() -> None:
    """Entry point of a worker started with a target (``python -c ... main()``)."""
    if bootstrap() is None:
        sys.exit('gnet.cluster.child: not started by a gnet cluster primary')
    spec = json.loads(os.environ[ENV_TARGET])
    try:
        target = _load_target(spec)
        target(*spec.get('args', ()))
        loop.run()
    except SystemExit as exc:
        _exit(exc.code if isinstance(exc.code, int) else 1)
    except BaseException:  # noqa: BLE001 - a crashed worker reports and exits 1
        traceback.print_exc()
        _exit(1)
    _exit(0)
