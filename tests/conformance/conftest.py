"""The transports the stream contracts run over, and the ``pair`` fixture.

``TRANSPORTS`` maps a name to a factory ``make(**options) -> (a, b)`` that
returns two connected Duplex endpoints: bytes written on ``a`` are read on
``b`` and vice versa.  Factories accept the keyword options
``high_water_mark`` (None = default) and ``allow_half_open`` (default True),
may block the calling greenlet while connecting, and must not assume the
test will end or destroy the endpoints (the fixture tears them down).

Add a transport by adding an entry: every contract test then runs over it.
The socket factories (tcp4, tcp6 when the host has IPv6, ipc) come from
``transports.py``.
"""

from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from gevent.event import Event

from gnet.testing import memory_pair
from transports import IPV6, make_ipc_pair, make_tcp4_pair, make_tcp6_pair


def make_memory_pair(high_water_mark: Optional[int] = None, allow_half_open: bool = True) -> Tuple[Any, Any]:
    return memory_pair(high_water_mark=high_water_mark, allow_half_open=allow_half_open)


TRANSPORTS: Dict[str, Callable[..., Tuple[Any, Any]]] = {
    'memory': make_memory_pair,
    'tcp4': make_tcp4_pair,
    'ipc': make_ipc_pair,
}
if IPV6:
    TRANSPORTS['tcp6'] = make_tcp6_pair

#: Seconds any single wait in the contract tests may take.
WAIT = 5.0


def pytest_configure(config: Any) -> None:
    config.addinivalue_line('markers', 'pair_options(**options): options for the pair fixture')


def pytest_collection_modifyitems(items: List[Any]) -> None:
    for item in items:
        if 'conformance' in str(item.fspath) and item.get_closest_marker('timeout') is None:
            item.add_marker(pytest.mark.timeout(20))


def _teardown(endpoint: Any) -> Event:
    closed = Event()
    if getattr(endpoint, 'closed', False):
        closed.set()
        return closed
    endpoint.on('error', lambda *args: None)  # a reset peer must not fail the teardown
    endpoint.on('close', lambda *args: closed.set())
    endpoint.destroy()
    return closed


@pytest.fixture(params=sorted(TRANSPORTS))
def transport(request: Any) -> Callable[..., Tuple[Any, Any]]:
    return TRANSPORTS[request.param]


@pytest.fixture
def make_pair(transport: Callable[..., Tuple[Any, Any]]) -> Any:
    """A factory of connected pairs (``make_pair(high_water_mark=..., allow_half_open=...)``)."""
    made: List[Tuple[Any, Any]] = []

    def factory(**options: Any) -> Tuple[Any, Any]:
        a, b = transport(**options)
        made.append((a, b))
        return a, b

    yield factory
    waits = []
    for a, b in made:
        waits.append(_teardown(a))
        waits.append(_teardown(b))
    for closed in waits:
        assert closed.wait(WAIT), 'an endpoint did not close on teardown'


@pytest.fixture
def pair(request: Any, make_pair: Any) -> Tuple[Any, Any]:
    """Two connected endpoints; options from ``@pytest.mark.pair_options(...)``."""
    marker = request.node.get_closest_marker('pair_options')
    return make_pair(**(marker.kwargs if marker else {}))
