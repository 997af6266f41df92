"""Node's ``cluster`` for gnet servers: one primary process, N workers sharing ports.

Owns: the module's public state and API -- ``is_primary``/``is_worker``,
``worker``, ``workers``, ``setup_primary``, ``fork``, ``shutdown``,
``listen`` and the events -- binding the listening sockets the primary
holds for its workers, restarting crashed workers with back-off, and
graceful shutdown on SIGTERM/SIGINT.  :class:`Worker` and the shared
listening sockets (with the ``SCHED_RR`` dealer, which accepts by the policy
of :mod:`gnet.net.accept`) live in :mod:`gnet.cluster.primary`; the worker
side in :mod:`gnet.cluster.child`; descriptors travel over
:class:`gnet.cluster.channel.Channel`.  (``child``, not ``worker``:
``cluster.worker`` is Node's public attribute, this worker's own object.)
Must not import: anything that imports this module.

Workers are fresh processes, never bare ``fork()`` copies: a forked child
of a running gevent program inherits every greenlet and watcher of its
parent (after ``gevent.reinit()`` they still fire in the child: the
parent's accept loops would accept in the child too), so each worker is
``exec``'d -- either the script named by ``setup_primary(exec=...)``, run
again with ``is_worker`` true (Node's model), or a ``target`` callable that
the worker imports and calls, then serves until nothing is left
(``multiprocessing``'s *spawn* model; a target from ``__main__`` is found by
running that file under another name).

A primary looks like this::

    from .. import cluster
    if cluster.is_primary:
        cluster.setup_primary(target=serve, restart=True)
        for _ in range(4):
            cluster.fork()
        gnet.run()            # returns after SIGTERM once every worker drained

Events (``cluster.on``): ``'setup'(settings)``, ``'fork'(worker)``,
``'online'(worker)``, ``'listening'(worker, address)``,
``'message'(worker, message, handle)``, ``'disconnect'(worker)``,
``'exit'(worker, code, signal)`` (``code`` None when a signal killed it),
``'shutdown'()`` once a shutdown has finished.
"""

import errno
import json
import logging
import os
import signal as _signal
import sys
import time
from typing import Any, Callable, Dict, List, Optional

import _socket
import gevent

from .. import errors
from ..events import EventEmitter, Listener
from ..net import args as netargs, server as net_server
from ..net.dns import lookup_first
from ..net.handles import listen as listen_handle
from ..net.handles.descriptors import close_fd
from ..net.handles.listen import ListenHandle, PipeListenHandle, TCPListenHandle
from ..net.server import Server
from ..runtime import loop
from .channel import Channel, socketpair
from .child import ENV_FD, ENV_ID, ENV_TARGET, WorkerSelf, bootstrap
from .primary import SharedHandle, Worker

__all__ = ['is_primary', 'is_master', 'is_worker', 'worker', 'workers', 'settings', 'fork',
           'setup_primary', 'shutdown', 'disconnect', 'listen', 'Worker', 'SCHED_NONE',
           'SCHED_RR', 'scheduling_policy', 'on', 'once', 'off', 'emit', 'remove_listener',
           'remove_all_listeners', 'listener_count', 'listen_hooked']

log: logging.Logger = logging.getLogger('gnet.cluster')

SCHED_NONE = 1   #: every worker accepts on the primary's listening socket
SCHED_RR = 2     #: the primary accepts and deals connections out in turn (Node's Linux default)
#: after a shutdown's deadline, workers still alive this much later are SIGKILLed
KILL_GRACE_MS = 2000
DEFAULTS: Dict[str, Any] = {
    'exec': None, 'args': [], 'exec_argv': [], 'target': None, 'target_args': [],
    'silent': False, 'cwd': None, 'env': None, 'restart': False,
    'restart_min_ms': 100, 'restart_max_ms': 5000, 'restart_reset_ms': 5000,
    'shutdown_timeout_ms': 10000, 'handle_signals': True, 'scheduling_policy': None,
}

is_worker: bool = ENV_ID in os.environ
is_primary: bool = not is_worker
is_master = is_primary
#: in a worker: this worker (``cluster.worker.id``, ``.send``, ``.on('message')``)
worker: Optional[WorkerSelf] = bootstrap() if is_worker else None
#: in the primary: the live workers by id
workers: Dict[int, 'Worker'] = {}
settings: Dict[str, Any] = {}
scheduling_policy: int = SCHED_NONE if os.environ.get('GNET_CLUSTER_SCHED_POLICY') == 'none' else SCHED_RR

_emitter = EventEmitter()
on: Callable[[str, Listener], EventEmitter] = _emitter.on
once: Callable[[str, Listener], EventEmitter] = _emitter.once
off: Callable[[str, Listener], EventEmitter] = _emitter.off
emit: Callable[..., bool] = _emitter.emit
remove_listener: Callable[[str, Listener], EventEmitter] = _emitter.remove_listener
remove_all_listeners: Callable[[Optional[str]], EventEmitter] = _emitter.remove_all_listeners
listener_count: Callable[..., int] = _emitter.listener_count


def listen_hooked() -> bool:
    """True once ``Server.listen`` itself routes a worker's listen through the primary."""
    return hasattr(net_server, 'cluster_listen')


class _Primary:
    """The primary's bookkeeping (one per process)."""

    def __init__(self) -> None:
        self.next_id = 0
        self.seq = 0                           # numbers the connections dealt out
        self.shared: Dict[str, SharedHandle] = {}
        self.shutting_down = False
        self.restarts: List[Any] = []          # pending restart timers
        self.kill_timer: Any = None
        self.signals: List[Any] = []
        self.on_shutdown: List[Callable[..., Any]] = []

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq


_primary = _Primary()


def setup_primary(options: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
    """Node's ``cluster.setupPrimary``; see ``DEFAULTS`` for the settings.

    ``exec`` (a script run as each worker, with ``args``) or ``target`` (a
    callable, called with ``target_args``); ``restart`` restarts workers that
    exit unexpectedly, waiting ``restart_min_ms`` doubling up to
    ``restart_max_ms`` (back to the minimum once a worker lived
    ``restart_reset_ms``); ``handle_signals`` makes SIGTERM/SIGINT a graceful
    :func:`shutdown` bounded by ``shutdown_timeout_ms``.
    """
    global scheduling_policy
    if not is_primary:
        raise errors.NodeError('setup_primary() is for the primary', code='ERR_CLUSTER_NOT_PRIMARY')
    opts = dict(options or {})
    opts.update(kwargs)
    if 'execArgv' in opts:
        opts['exec_argv'] = opts.pop('execArgv')
    if not settings:
        settings.update(DEFAULTS)
    settings.update(opts)
    if settings['scheduling_policy'] is not None:
        scheduling_policy = settings['scheduling_policy']
    if settings['handle_signals'] and not _primary.signals:
        for signum in (_signal.SIGTERM, _signal.SIGINT):
            _primary.signals.append(gevent.signal_handler(signum, _on_signal, signum))
    loop.next_tick(emit, 'setup', dict(settings))


setupPrimary = setup_primary


def _on_signal(signum: int) -> None:
    log.info('primary: %s, shutting down', _signal.Signals(signum).name)
    loop.get_loop().runner.next_tick(shutdown)


def fork(env: Optional[Dict[str, str]] = None) -> Worker:
    """Start one worker; ``'fork'`` follows, then ``'online'`` once it runs."""
    import subprocess
    if not is_primary:
        raise errors.NodeError('fork() is for the primary', code='ERR_CLUSTER_NOT_PRIMARY')
    if not settings:
        setup_primary()
    _primary.next_id += 1
    new = Worker(_primary.next_id, env)
    parent_end, child_end = socketpair()
    child_fd = child_end.fileno()
    child_env = dict(os.environ)
    child_env.update(settings.get('env') or {})
    child_env.update(env or {})
    child_env[ENV_ID] = str(new.id)
    child_env[ENV_FD] = str(child_fd)
    child_env['PYTHONPATH'] = os.pathsep.join(p for p in sys.path if p)
    if settings.get('scheduling_policy') is not None:
        child_env['GNET_CLUSTER_SCHED_POLICY'] = 'none' if scheduling_policy == SCHED_NONE else 'rr'
    python = [sys.executable] + list(settings['exec_argv'])
    if settings.get('target') is not None:
        child_env[ENV_TARGET] = json.dumps(_target_spec(settings['target'], settings['target_args']))
        argv = python + ['-c', 'from gnet.cluster.child import main; main()']
    else:
        script = settings.get('exec') or sys.argv[0]
        argv = python + [script] + list(settings.get('args') or sys.argv[1:])
    quiet = subprocess.DEVNULL if settings.get('silent') else None
    try:
        new.process = subprocess.Popen(argv, env=child_env, pass_fds=[child_fd], cwd=settings.get('cwd'),
                                       stdin=subprocess.DEVNULL, stdout=quiet, stderr=quiet)
    finally:
        child_end.close()
    channel = new.channel = Channel(parent_end)
    channel.on('internal', lambda kind, data, fd: _on_internal(new, kind, data, fd))
    channel.on('message', lambda message, handle: _on_message(new, message, handle))
    channel.on('close', lambda *_: _on_channel_close(new))
    channel.on('error', lambda err: log.warning('worker %d: channel error: %s', new.id, err))
    workers[new.id] = new
    loop.next_tick(emit, 'fork', new)
    return new


def _target_spec(target: Any, args: Any) -> Dict[str, Any]:
    if isinstance(target, str):  # 'package.module:function'
        where, _, what = target.partition(':')
        return {'module': where, 'name': what, 'args': list(args)}
    module: Any = getattr(target, '__module__', None)
    name: Any = getattr(target, '__qualname__', None)
    if not module or not name or '<' in name:
        raise errors.ERR_INVALID_ARG_VALUE('target', target, 'must be an importable function')
    if module == '__main__':
        path = getattr(sys.modules['__main__'], '__file__', None)
        if not path:
            raise errors.ERR_INVALID_ARG_VALUE('target', target, 'must be defined in a file')
        return {'file': os.path.abspath(path), 'name': name, 'args': list(args)}
    return {'module': module, 'name': name, 'args': list(args)}


def _on_message(source: Worker, message: Any, handle: Any) -> None:
    source.emit('message', message, handle)
    emit('message', source, message, handle)


def _on_internal(source: Worker, kind: str, data: Any, fd: Optional[int]) -> None:
    if fd is not None:
        close_fd(fd)
    if kind == 'online':
        source.state = 'online'
        source.emit('online')
        emit('online', source)
    elif kind == 'listening':
        address = data if isinstance(data, dict) else {'address': data}
        source.state = 'listening'
        source.emit('listening', address)
        emit('listening', source, address)
    elif kind == 'accepted':
        entry = source.in_flight.pop(data, None)
        if entry is not None:
            close_fd(entry[1])
    elif kind == 'rejected':
        entry = source.in_flight.pop(data, None)
        if entry is not None:
            shared, fd, peer, tries = entry
            close_fd(fd) if shared.closed else shared._deal(fd, peer, tries + 1)
    elif kind == 'bind':
        _bind_for(source, data)
    elif kind == 'unbind':
        shared = _primary.shared.get(data)
        if shared is not None:
            shared.remove(source)
            if not shared.holders:
                _drop_shared(shared)


def _bind_for(source: Worker, request: Dict[str, Any]) -> None:
    """A worker's listen: bind once per address key, then share the socket.

    The key is ``address:port:family:ipv6_only``; a Unix path comes as
    ``(path, -1, AF_UNIX)``, as Node keys a pipe.
    """
    channel = source.channel
    if channel is None:
        return
    address, port, family = request['address'], int(request['port']), int(request['family'])
    key = '%s:%d:%d:%d' % (address, port, family, bool(request.get('ipv6_only')))
    shared = _primary.shared.get(key)
    if shared is None and _primary.shutting_down:
        channel.send_internal('bound', {'seq': request['seq'], 'errno': errno.ECANCELED})
        return
    if shared is None:
        try:
            handle = _bind(request)
        except OSError as exc:
            channel.send_internal('bound', {'seq': request['seq'], 'errno': exc.errno or errno.EINVAL})
            return
        shared = _primary.shared[key] = SharedHandle(key, handle, scheduling_policy == SCHED_RR, _primary.next_seq)
    shared.add(source)
    reply = {'seq': request['seq'], 'key': key, 'sockname': shared.handle.sockname()}
    fd = os.dup(shared.handle.fileno) if shared.acceptor is None else None
    channel.send_internal('bound', reply, fd)


def _bind(request: Dict[str, Any]) -> ListenHandle:
    """The listening socket for a worker's ``'bind'`` request; SysError as a bind raises."""
    hub = loop.get_loop().hub
    backlog = int(request.get('backlog') or 511)
    if int(request['family']) == _socket.AF_UNIX:
        return PipeListenHandle.bind(hub, request['address'], backlog,
                                     bool(request.get('readable_all')),
                                     bool(request.get('writable_all')))
    return TCPListenHandle.bind(hub, request['address'], int(request['port']),
                                int(request['family']), backlog, bool(request.get('ipv6_only')))


def _drop_shared(shared: SharedHandle) -> None:
    _primary.shared.pop(shared.key, None)
    shared.close()


def _on_channel_close(gone: Worker) -> None:
    """The worker's end closed: it is exiting.  Reap it, then 'exit' (and maybe restart)."""
    if gone.state != 'dead':
        gone.state = 'disconnected'
    loop.get_loop().ref_handle(gone)  # gnet.run() waits for the 'exit'
    gone.emit('disconnect')
    emit('disconnect', gone)
    gevent.spawn(_reap, gone)


def _reap(gone: Worker) -> None:
    delay = 0.005
    while gone.process.poll() is None:
        gevent.sleep(delay)
        delay = min(0.1, delay * 2)
    loop.get_loop().runner.next_tick(_exited, gone, gone.process.returncode)


def _exited(gone: Worker, status: int) -> None:
    code: Optional[int] = status if status >= 0 else None
    signame = _signal.Signals(-status).name if status < 0 else None
    gone.state = 'dead'
    workers.pop(gone.id, None)
    loop.get_loop().unref_handle(gone)
    restart = (settings.get('restart') and not gone.exited_after_disconnect
               and not _primary.shutting_down)
    for shared in list(_primary.shared.values()):
        shared.remove(gone)
    _redeal(gone)
    for shared in list(_primary.shared.values()):
        if not shared.holders and not restart:
            _drop_shared(shared)
    gone.emit('exit', code, signame)
    emit('exit', gone, code, signame)
    if restart:
        _schedule_restart(gone)
    _maybe_finish_shutdown()


def _redeal(gone: Worker) -> None:
    """Connections a dead worker never acknowledged go to the live ones."""
    in_flight, gone.in_flight = gone.in_flight, {}
    for shared, fd, peer, tries in in_flight.values():
        if shared.closed:
            close_fd(fd)
        else:
            shared._deal(fd, peer, tries + 1)


def _schedule_restart(gone: Worker) -> None:
    lived_ms = (time.monotonic() - gone.started) * 1000
    low, high = settings['restart_min_ms'], settings['restart_max_ms']
    delay = low if lived_ms >= settings['restart_reset_ms'] or not gone.restart_delay_ms \
        else min(high, gone.restart_delay_ms * 2)
    log.warning('worker %d exited unexpectedly; restarting in %d ms', gone.id, delay)

    def restart() -> None:
        _primary.restarts.remove(timer)
        if not _primary.shutting_down:
            fork(gone.env).restart_delay_ms = delay
    timer = loop.get_loop().set_timeout(restart, delay)
    _primary.restarts.append(timer)


def shutdown(timeout_ms: Optional[int] = None, callback: Optional[Callable[..., Any]] = None) -> None:
    """Graceful stop: no more restarts, stop accepting, every worker drains and exits.

    Workers get ``timeout_ms`` (default ``shutdown_timeout_ms``) to let their
    connections finish; those still alive ``KILL_GRACE_MS`` later are
    SIGKILLed.  ``callback()`` and the cluster's ``'shutdown'`` follow once
    every worker exited.
    """
    if timeout_ms is None:
        timeout_ms = int(settings.get('shutdown_timeout_ms') or DEFAULTS['shutdown_timeout_ms'])
    _stop(timeout_ms, callback)
    if _primary.kill_timer is None and workers:
        _primary.kill_timer = loop.get_loop().set_timeout(_kill_stragglers, timeout_ms + KILL_GRACE_MS)


def disconnect(callback: Optional[Callable[..., Any]] = None) -> None:
    """Node's ``cluster.disconnect``: every worker closes its servers and exits when drained."""
    _stop(None, callback)


def _stop(timeout_ms: Optional[int], callback: Optional[Callable[..., Any]]) -> None:
    if callback is not None:
        _primary.on_shutdown.append(callback)
    first = not _primary.shutting_down
    _primary.shutting_down = True
    for timer in _primary.restarts:
        timer.close()
    _primary.restarts.clear()
    for shared in list(_primary.shared.values()):
        _drop_shared(shared)
    if first:
        for each in list(workers.values()):
            each.disconnect(timeout_ms)
    _maybe_finish_shutdown()


def _kill_stragglers() -> None:
    _primary.kill_timer = None
    for each in list(workers.values()):
        log.warning('worker %d did not drain in time; killing it', each.id)
        each.kill('SIGKILL')


def _maybe_finish_shutdown() -> None:
    if not _primary.shutting_down or workers:
        return
    if _primary.kill_timer is not None:
        _primary.kill_timer.close()
        _primary.kill_timer = None
    for handler in _primary.signals:
        handler.cancel()
    _primary.signals.clear()
    callbacks, _primary.on_shutdown = _primary.on_shutdown, []
    for callback in callbacks:
        loop.next_tick(callback)
    loop.next_tick(emit, 'shutdown')


# -- listening from a worker before the Server hook exists ---------------------------------
def listen(server: Server, *args: Any, **kwargs: Any) -> Server:
    """``server.listen(...)``, shared through the primary when called in a worker.

    Once ``Server.listen`` has the cluster hook (``listen_hooked()``) this is
    exactly ``server.listen``; until then it does in a worker what the hook
    will do for TCP ports (``exclusive`` included), and passes every other
    form (paths, handles, descriptors) to ``server.listen``.
    """
    options, callback = netargs.normalize_args(args, kwargs)
    if worker is None or listen_hooked() or 'port' not in options or options.get('path') \
            or options.get('handle') is not None or options.get('fd') is not None:
        return server.listen(*args, **kwargs)
    if server.listening:
        raise errors.ERR_SERVER_ALREADY_LISTEN()
    port = netargs.validate_port(options['port'] if options['port'] is not None else 0, 'options.port')
    backlog = int(options.get('backlog') or 511)
    ipv6_only = options.get('ipv6_only') is True
    exclusive = options.get('exclusive') is True
    host = options.get('host') or None
    hook = worker.listen_hook

    def bind(address: str, family: int) -> Any:
        return hook(server, address, port, family, backlog, ipv6_only, False, exclusive)
    try:
        if host is not None:
            try:
                address, family = lookup_first(host)
            except errors.NodeError:
                raise
            except Exception as exc:  # noqa: BLE001 - a failed lookup is the server's 'error'
                raise errors.sys_error(exc, 'getaddrinfo', host) from None
            handle = bind(address, family)
        else:
            handle = listen_handle.bind_unspecified(bind)
    except errors.NodeError as err:
        loop.next_tick(server.emit, 'error', err)
        return server
    if callback is not None:
        server.once('listening', callback)
    server._closing = False
    server._start(handle)
    return server



isPrimary = is_primary
isMaster = is_primary
isWorker = is_worker
schedulingPolicy = scheduling_policy
