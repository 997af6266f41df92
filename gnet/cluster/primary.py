"""The primary's side of a cluster: its workers and the listening sockets it shares.

Owns: :class:`Worker` (a worker process as the primary sees it) and
:class:`SharedHandle` (a listening socket the primary holds for its workers
and, under ``SCHED_RR``, the acceptor that deals connections out in turn,
by the one accept policy of :mod:`gnet.net.accept`).
Must not import: :mod:`gnet.cluster` (the package's module state imports this).
"""

import logging
import os
import signal as _signal
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import gevent
from gevent.event import Event

from .. import errors
from ..events import EventEmitter
from ..naming import node_aliases
from ..net import accept
from ..net.handles.listen import ListenHandle
from .channel import Channel

__all__ = ['Worker', 'SharedHandle']

log: logging.Logger = logging.getLogger('gnet.cluster')


@node_aliases
class Worker(EventEmitter):
    """A worker as the primary sees it (Node's ``Worker``).

    ``id``, ``process`` (the ``subprocess.Popen``), ``state``
    (``'none'``, ``'online'``, ``'listening'``, ``'disconnected'``, ``'dead'``),
    ``exited_after_disconnect``.  Events: ``'online'``, ``'listening'(address)``,
    ``'message'(message, handle)``, ``'disconnect'``, ``'exit'(code, signal)``.
    """

    def __init__(self, worker_id: int, env: Optional[Dict[str, str]]):
        EventEmitter.__init__(self)
        self.id = worker_id
        self.env = env
        self.state = 'none'
        self.exited_after_disconnect: bool = False
        self.process: Any = None
        self.channel: Optional[Channel] = None
        self.started: float = time.monotonic()
        self.restart_delay_ms = 0
        #: connections sent but not yet acknowledged: seq -> (shared, fd, peer, tries)
        self.in_flight: Dict[int, Tuple[Any, int, Any, int]] = {}

    def send(self, message: Any, handle: Any = None, callback: Optional[Callable[..., Any]] = None) -> bool:
        if self.channel is None:
            raise errors.NodeError('Channel closed', code='ERR_IPC_CHANNEL_CLOSED')
        return self.channel.send(message, handle, callback)

    def kill(self, signal: str = 'SIGTERM') -> None:
        """Kill the process now (no restart follows): Node's ``worker.kill``."""
        self.exited_after_disconnect = True
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, getattr(_signal, signal) if isinstance(signal, str) else signal)

    destroy = kill

    def disconnect(self, timeout_ms: Optional[int] = None) -> 'Worker':
        """Ask the worker to close its servers, drain and exit (no restart follows)."""
        self.exited_after_disconnect = True
        if self.channel is not None:
            self.channel.send_internal('shutdown', {'timeout_ms': timeout_ms})
        return self

    def is_connected(self) -> bool:
        return self.channel is not None and not self.channel.closed

    def is_dead(self) -> bool:
        return self.state == 'dead'

    @property
    def pid(self) -> Optional[int]:
        return None if self.process is None else self.process.pid

    def __repr__(self) -> str:
        return '<gnet.cluster.Worker %d pid=%s %s>' % (self.id, self.pid, self.state)

    # Node's names: written by tools/node_names.py (gnet.naming's rule); do not edit
    isConnected = is_connected
    isDead = is_dead


class SharedHandle:
    """A listening socket the primary holds for the workers that listen on its key.

    ``handle`` is a TCP or Unix-path listen handle; closing it (when the last
    holder leaves, or at shutdown) also removes a path's socket file.
    """

    def __init__(self, key: str, handle: ListenHandle, round_robin: bool,
                 next_seq: Callable[[], int]):
        self.key = key
        self.handle = handle
        self.next_seq = next_seq  # numbers the connections dealt out (one counter per primary)
        self.holders: List[Worker] = []
        self.turn: int = 0
        self.has_holders: Event = Event()
        self.closed: bool = False
        self.acceptor: Any = gevent.spawn(self._accept_loop) if round_robin else None

    def add(self, holder: Worker) -> None:
        if holder not in self.holders:
            self.holders.append(holder)
        self.has_holders.set()

    def remove(self, holder: Worker) -> None:
        if holder in self.holders:
            self.holders.remove(holder)
        if not self.holders:
            self.has_holders.clear()

    def _next(self) -> Optional[Worker]:
        live = [w for w in self.holders if w.is_connected()]
        if not live:
            return None
        self.turn = (self.turn + 1) % len(live)
        return live[self.turn]

    def _accept_loop(self) -> None:
        """SCHED_RR: accept by the one accept policy (:mod:`gnet.net.accept`) and deal out."""
        backoff = accept.Backoff()
        while not self.closed:
            if not self.holders:
                self.has_holders.wait()
                continue
            outcome, err = accept.accept_batch(self.handle, self._deal_accepted)
            if outcome is accept.Outcome.CLOSED or self.closed:
                return
            if outcome is accept.Outcome.DRAINED:
                backoff.reset()
                self.handle.wait_readable()
            elif err is not None:
                if accept.classify(err) is accept.Kind.FATAL:
                    log.error('cluster accept on %s: %s', self.key, errors.sys_error(err, 'accept'))
                gevent.sleep(backoff.next_ms(err) / 1000.0)
            else:
                gevent.sleep(0)  # a full batch: let the dealt-out frames go

    def _deal_accepted(self, conn: Any, peer: Any) -> None:
        self._deal(conn.detach(), _peer_json(peer), 0)  # conn: an IStreamHandle

    def _deal(self, fd: int, peer: Any, tries: int) -> None:
        """Send one accepted connection to the next worker.

        The primary keeps its descriptor until the worker acknowledges the
        frame (``'accepted'``): a worker that dies with connections in
        flight gets them dealt again to a live one (see :func:`_redeal`).
        """
        target = self._next()
        if target is None or target.channel is None or tries > len(self.holders):
            os.close(fd)  # nobody left to take it: the client sees it closed
            return
        seq = self.next_seq()
        target.in_flight[seq] = (self, fd, peer, tries)

        def sent(err: Optional[BaseException]) -> None:
            if err is not None and target.in_flight.pop(seq, None) is not None:
                self._deal(fd, peer, tries + 1)  # the worker is gone: a live one gets it
        target.channel.send_internal('conn', {'key': self.key, 'peer': peer, 'seq': seq},
                                     os.dup(fd), sent)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.has_holders.set()
        if self.acceptor is not None:
            self.acceptor.kill(block=False)  # it gets GreenletExit once the handle is closed
        self.handle.close()


def _peer_json(peer: Any) -> Any:
    """An accepted peer as a frame carries it: ``[host, port]``, or a Unix peer's name."""
    if isinstance(peer, tuple):
        return list(peer[:2])
    return os.fsdecode(peer) if isinstance(peer, bytes) else peer
