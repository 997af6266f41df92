"""The contract suite of ``gnet.interfaces``: streams over any Duplex pair, and sockets.

Owns: :func:`check_duplex` (run every stream check over a user's pair
factory and raise one AssertionError naming every contract that failed, not
stopping at the first), :func:`check_socket` (the same for the socket
contracts C1, K1, T1 over a transport: ``tcp4()``, ``tcp6()``, ``ipc()``),
:func:`run_check` (one stream check over a fresh pair, with teardown),
``CONTRACTS`` (contract ID -> its checks), ``CHECKS`` and ``SOCKET_CHECKS``.
The checks themselves live in :mod:`gnet.testing.stream_checks` and
:mod:`gnet.testing.socket_checks`.  No pytest:
call it from any test runner, inside a greenlet that may block (gnet's
loop runs while it waits).
Must not import: pytest, gevent.

Usage::

    from gnet.testing.conformance import check_duplex
    check_duplex(lambda **options: my_pair(**options))

``make_pair(high_water_mark=None, allow_half_open=True)`` returns two
connected Duplex endpoints ``(a, b)``: bytes written on ``a`` are read on
``b`` and vice versa.  It may block while connecting.  ``make_clogged_pair``
(optional, same signature) returns a pair whose writes complete only once
the other side has read them (no buffering in between, like trio's clogged
streams): the backpressure checks (W2, W3, D2) run over it too.
"""

from typing import Any, Callable, Dict, List, Optional, Tuple

from ..runtime.sync import once
from .socket_checks import SOCKET_CHECKS, SocketTransport, ipc, tcp4, tcp6
from .stream_checks import CHECKS, WAIT, Check

__all__ = ['check_duplex', 'check_socket', 'run_check', 'CHECKS', 'SOCKET_CHECKS', 'CONTRACTS',
           'BACKPRESSURE', 'Check', 'SocketTransport', 'tcp4', 'tcp6', 'ipc']

MakePair = Callable[..., Tuple[Any, Any]]

#: contract ID -> its checks, in the order of gnet.interfaces
CONTRACTS: Dict[str, List[Check]] = {}
for _check in CHECKS + SOCKET_CHECKS:
    CONTRACTS.setdefault(_check.contract, []).append(_check)

#: the contracts whose checks also run over a clogged pair
BACKPRESSURE = ('W2', 'W3', 'D2')  # R2's check measures a transport that buffers in between


def _teardown(*endpoints: Any) -> None:
    """Destroy every endpoint, then wait until each has closed."""
    waiters = []
    for endpoint in endpoints:
        if getattr(endpoint, 'closed', False):
            continue
        endpoint.on('error', lambda *args: None)  # a reset peer must not fail the teardown
        waiters.append(_CloseWaiter(endpoint))
    for waiter in waiters:
        waiter.endpoint.destroy()
    for waiter in waiters:
        waiter.wait()


class _CloseWaiter:
    """Registers for ``'close'`` before ``destroy()``, so the event cannot be missed."""

    def __init__(self, endpoint: Any):
        self.endpoint = endpoint
        self.closed = False
        endpoint.once('close', self._on_close)

    def _on_close(self, *args: Any) -> None:
        self.closed = True

    def wait(self) -> None:
        if not self.closed and not getattr(self.endpoint, 'closed', False):
            once(self.endpoint, 'close', timeout=WAIT)


def run_check(check: Check, make_pair: MakePair) -> None:
    """Run one check over a fresh pair made with the check's options; always tear down."""
    a, b = make_pair(**check.options)
    for endpoint in (a, b):  # a reset seen by an endpoint the check does not watch is no failure
        endpoint.on('error', lambda *args: None)
    try:
        check.function((a, b))
    finally:
        _teardown(a, b)


def check_duplex(make_pair: MakePair, make_clogged_pair: Optional[MakePair] = None) -> None:
    """Run every check; raise one AssertionError listing every failed contract ID.

    A check that fails is reported as ``ID name: error``; the other checks
    still run.
    """
    runs: List[Tuple[Check, MakePair, str]] = [(check, make_pair, '') for check in CHECKS]
    if make_clogged_pair is not None:
        runs += [(check, make_clogged_pair, ' (clogged)') for check in CHECKS
                 if check.contract in BACKPRESSURE]
    failures: List[Tuple[str, str]] = []
    for check, factory, label in runs:
        try:
            run_check(check, factory)
        except Exception as exc:  # noqa: BLE001 - collected, reported together below
            failures.append((check.contract, '%s %s%s: %r' % (check.contract, check.name, label, exc)))
    _report(failures)


def _report(failures: List[Tuple[str, str]]) -> None:
    if failures:
        ids = sorted({contract for contract, _ in failures}, key=list(CONTRACTS).index)
        raise AssertionError('contracts failed: %s\n%s' % (', '.join(ids),
                                                           '\n'.join(line for _, line in failures)))


def check_socket(transport: SocketTransport) -> None:
    """Run every socket check (C1, K1, T1) over ``transport`` (``tcp4()``, ``tcp6()``,
    ``ipc()``); raise one AssertionError listing every failed contract ID."""
    failures: List[Tuple[str, str]] = []
    for check in SOCKET_CHECKS:
        try:
            check.function(transport)
        except Exception as exc:  # noqa: BLE001 - collected, reported together
            failures.append((check.contract, '%s %s (%s): %r' % (check.contract, check.name,
                                                                 transport.name, exc)))
    _report(failures)
