"""One TCP connect: lookup, then the connection attempts (happy eyeballs).

Owns: the default (gevent resolver) and custom ``lookup`` paths with their
``'lookup'`` events, the order of attempts (families interleaved as RFC
8305), per-attempt timeouts with ``'connectionAttempt'``,
``'connectionAttemptFailed'`` and ``'connectionAttemptTimeout'``, the block
list check, local binds, and the aggregate error when every attempt fails.
Must not import: the server.  It drives the socket through its private
connect hooks (``_await_connect``, ``_runner``, ``_handle``).
"""

import errno
from typing import Any, Callable, List, Optional

import _socket

from .. import errors
from .dns import getaddrinfo, to_ascii
from .handles import unconnected
from .handles.tcp import TCPHandle
from .ip import is_ip

__all__ = ['ConnectPlan', 'interleave']

class ConnectPlan:
    """Lookup and the connection attempts of one TCP connect (happy eyeballs)."""

    __slots__ = ('sock', 'host', 'port', 'family', 'hints', 'auto', 'attempt_ms',
                 'local_address', 'local_port', 'errors', 'queue')

    def __init__(self, sock: Any, host: str, port: int, family: int, hints: Any,
                 auto: bool, attempt_ms: int, local_address: Optional[str],
                 local_port: Optional[int]):
        self.sock: Any = sock
        self.host: str = host
        self.port: int = port
        self.family: int = family
        self.hints: Any = hints
        # Node asks for every address only for an unspecified family and no local address
        self.auto: bool = auto and family not in (4, 6) and not local_address
        self.attempt_ms: int = attempt_ms
        self.local_address: Optional[str] = local_address
        self.local_port: Optional[int] = local_port
        self.errors: List[BaseException] = []
        self.queue: List[Any] = []

    # -- lookup -----------------------------------------------------------------------
    def default_lookup(self) -> None:
        """In the runner: gevent's resolver (cooperative) finds the addresses.

        It is given the name as libuv gives it (:func:`to_ascii`) and Node's
        hints; a failure is a ``getaddrinfo`` error with Node's ``hostname``.
        """
        from gevent import get_hub
        sock = self.sock
        family = {4: _socket.AF_INET, 6: _socket.AF_INET6}.get(self.family, _socket.AF_UNSPEC)
        # bytes: every gevent resolver takes them as they are (a str is idna-encoded)
        resolver: Any = get_hub().resolver
        try:
            infos = getaddrinfo(resolver, to_ascii(self.host), self.port, family,
                                _socket.SOCK_STREAM, 0, self.hints)
        except Exception as exc:  # noqa: BLE001 - becomes the socket's error
            err = errors.sys_error(exc, 'getaddrinfo', self.host)
            if isinstance(err, errors.SysError):  # EAI_SYSTEM's errno too: Node's DNSException
                err.hostname = self.host
            if sock.destroyed:
                return
            sock.emit('lookup', err, None, None, self.host)
            sock.destroy(err)
            return
        seen = []
        for fam, _type, _proto, _name, addr in infos:
            entry = (addr[0], 6 if fam == _socket.AF_INET6 else 4)
            if entry not in seen:
                seen.append(entry)
        self.resolved(None, seen)

    def custom_lookup(self, lookup: Callable[..., Any]) -> None:
        """Call the user's lookup now (Node calls it inside connect()).

        It answers ``(err, address, family)``, or ``(err, [{'address', 'family'}, ...])``
        when asked for ``all``; either shape is taken in either mode.
        """
        opts = {'family': self.family, 'hints': self.hints, 'all': bool(self.auto)}
        sock = self.sock
        # a user's lookup is no libuv request: until it answers, run() need not wait
        sock._awaiting_lookup = True
        sock._may_go_idle()

        def answer(err: Any = None, address: Any = None, family: Any = None) -> None:
            sock._awaiting_lookup = False
            sock._hold_loop()
            if err is not None or not isinstance(address, list):
                self.resolved(err, [(address, family)])
            else:
                self.resolved(None, [(a.get('address'), a.get('family')) for a in address])
        try:
            lookup(self.host, opts, answer)
        except Exception as exc:  # noqa: BLE001 - a throwing lookup fails the socket
            self.sock.destroy(exc)

    def resolved(self, err: Any, addresses: List[Any]) -> None:
        """Node's ``emitLookup``: the 'lookup' events, then connect or fail.

        One address unless auto-selecting (then Node's ``lookupAndConnectMultiple``:
        entries that are not an IP with family 4 or 6 are skipped, and only
        when none is left does the first one's fault become the error).
        """
        sock = self.sock
        if sock.destroyed:
            return
        if err is None and not addresses:
            err = errors.dns_error(_socket.EAI_NONAME, self.host, 'ENOTFOUND')
        if err is not None:
            address, family = addresses[0] if addresses and not self.auto else (None, None)
            sock.emit('lookup', err, address, family, self.host)
            sock.destroy(err)
            return
        valid = []
        for address, family in (addresses if self.auto else addresses[:1]):
            sock.emit('lookup', None, address, family, self.host)
            if sock.destroyed:
                return
            if _is_valid(address, family) and (address, family) not in valid:
                valid.append((address, family))
        if not valid:
            sock.destroy(self._invalid_answer(*addresses[0]))
            return
        self.connect_to(valid)

    def _invalid_answer(self, address: Any, family: Any) -> BaseException:
        if not is_ip(address):
            return errors.ERR_INVALID_IP_ADDRESS(address)
        return errors.ERR_INVALID_ADDRESS_FAMILY(family, self.host, self.port,
                                                 host=self.host, port=self.port)

    # -- attempts ------------------------------------------------------------------------
    def connect_to(self, addresses: List[Any]) -> None:
        self.queue = interleave(addresses) if self.auto else list(addresses)
        if self.auto and len(addresses) > 1:  # Node records only a multi-address attempt
            self.sock._attempted_addresses = []
        self.next_attempt()

    def next_attempt(self) -> None:
        sock = self.sock
        if sock.destroyed:
            return
        if not self.queue:
            if len(self.errors) == 1:
                sock.destroy(self.errors[0])
            else:
                agg = errors.NodeError('connect %s' % ', '.join(str(e) for e in self.errors),
                                       code=getattr(self.errors[-1], 'code', 'ECONNREFUSED'))
                agg.errors = list(self.errors)  # type: ignore[attr-defined]
                agg.name = 'AggregateError'
                sock.destroy(agg)
            return
        address, family = self.queue.pop(0)
        block_list = sock._block_list
        if block_list is not None and block_list.check(address, 'ipv%d' % family):
            sock.destroy(errors.ERR_IP_BLOCKED(address))
            return
        multi = self.auto and bool(self.queue or self.errors)
        local = self.local_address is not None or self.local_port is not None
        if local and not self.bound(family, multi):
            return
        attempted = sock._attempted_addresses
        if attempted is not None:
            attempted.append('%s:%s' % (address, self.port))
        sock.emit('connectionAttempt', address, self.port, family)
        target = (address, self.port)
        try:
            handle = sock._handle if local else self.new_handle(family)
            state = handle.start_connect(target)
        except OSError as exc:  # socket() out of descriptors, or connect() failed at once
            err = errors.sys_error(exc, 'connect', address, self.port)
            if multi:
                self.failed(address, family, err)
            else:  # Node's internalConnect: no 'connectionAttemptFailed'
                sock.destroy(err)
            return
        if multi and self.queue:
            sock._attempt_timer = sock._loop.set_timeout(
                lambda: sock._runner.next_tick(self.timed_out, handle, address, family),
                self.attempt_ms).unref()
        sock._await_connect(target, state, lambda err: self.failed(address, family, err))

    def new_handle(self, family: int) -> Any:
        """The next attempt's TCP handle, in place of the last one (closed).

        Raises ``OSError`` when ``socket()`` fails (EMFILE, ENFILE, ...),
        leaving the socket as it was.
        """
        sock = self.sock
        adopted = unconnected(sock._handle, TCPHandle)
        if adopted is not None:  # Socket({fd}): Node connects the descriptor's own handle
            return adopted
        handle = TCPHandle.new(_socket.AF_INET6 if family == 6 else _socket.AF_INET,
                               sock._loop.hub)
        if sock._handle is not None:
            sock._handle.close()
        sock._handle = handle
        sock._runner.attach(handle)
        return handle

    def bound(self, family: int, multi: bool) -> bool:
        """Node binds the local end before the attempt: True when that worked.

        A failure (``socket()`` or ``bind()``) is a ``bind`` error naming the
        local address, with no attempt events: it fails the socket, or with
        several addresses it is recorded and the next address is tried.
        """
        local_address = self.local_address or ('::' if family == 6 else '0.0.0.0')
        try:
            self.new_handle(family).bind(local_address, self.local_port or 0)
        except OSError as exc:
            err = errors.sys_error(exc, 'bind', local_address, self.local_port or None)
            if multi:
                self.errors.append(err)
                self.next_attempt()
            else:
                self.sock.destroy(err)
            return False
        return True

    def failed(self, address: str, family: int, err: BaseException) -> None:
        sock = self.sock
        if sock._attempt_timer is not None:
            sock._attempt_timer.close()
            sock._attempt_timer = None
        self.errors.append(err)
        sock.emit('connectionAttemptFailed', address, self.port, family, err)
        self.next_attempt()

    def timed_out(self, handle: Any, address: str, family: int) -> None:
        sock = self.sock
        if sock._handle is not handle or not sock.connecting or sock.destroyed:
            return
        sock._attempt_timer = None
        sock._runner.stop_write()
        sock.emit('connectionAttemptTimeout', address, self.port, family)
        self.errors.append(errors.SysError(errno.ETIMEDOUT, 'connect', address, self.port))
        self.next_attempt()


def _is_valid(address: Any, family: Any) -> bool:
    """An answer Node connects to: an IP address and the number 4 or 6."""
    return bool(is_ip(address)) and not isinstance(family, bool) and family in (4, 6)


def interleave(addresses: List[Any]) -> List[Any]:
    """Alternate families, starting with the first address's family (RFC 8305)."""
    if not addresses:
        return []
    first = addresses[0][1]
    same = [a for a in addresses if a[1] == first]
    other = [a for a in addresses if a[1] != first]
    out = []
    for index in range(max(len(same), len(other))):
        if index < len(same):
            out.append(same[index])
        if index < len(other):
            out.append(other[index])
    return out
