"""The transports the stream contracts run over (the ``transport`` fixture).

``TRANSPORTS`` maps a name to a factory ``make(**options) -> (a, b)`` that
returns two connected Duplex endpoints: bytes written on ``a`` are read on
``b`` and vice versa.  Factories accept the keyword options
``high_water_mark`` (None = default) and ``allow_half_open`` (default True),
may block the calling greenlet while connecting, and must not assume the
check will end or destroy the endpoints (``gnet.testing.conformance.run_check``
tears them down).

Add a transport by adding an entry: every contract test then runs over it.
The socket factories (tcp4, tcp6 when the host has IPv6, ipc) come from
``transports.py``; each also runs under TLS (``tls-tcp4``: a ``gnet.tls``
server and ``tls.connect``), and ``tls-memory`` is TLS over the memory pair
(``TLSSocket`` over a Duplex that is not a socket), all with the throw-away
PKI of ``gnet.testing.layers``.
"""

from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

from gnet.testing import memory_pair
from gnet.testing.layers import tls_layer
from transports import IPV6, make_ipc_pair, make_tcp4_pair, make_tcp6_pair


def make_memory_pair(high_water_mark: Optional[int] = None, allow_half_open: bool = True) -> Tuple[Any, Any]:
    return memory_pair(high_water_mark=high_water_mark, allow_half_open=allow_half_open)


def make_tls_memory_pair(high_water_mark: Optional[int] = None, allow_half_open: bool = True) -> Tuple[Any, Any]:
    a, b = memory_pair(allow_half_open=allow_half_open)
    options: Dict[str, Any] = {'allow_half_open': allow_half_open}
    if high_water_mark is not None:
        options['high_water_mark'] = high_water_mark
    return tls_layer().secure(a, b, options)


def _tls(make: Callable[..., Tuple[Any, Any]]) -> Callable[..., Tuple[Any, Any]]:
    return lambda **options: make(layer=tls_layer(), **options)


SOCKET_PAIRS: Dict[str, Callable[..., Tuple[Any, Any]]] = {'tcp4': make_tcp4_pair, 'ipc': make_ipc_pair}
if IPV6:
    SOCKET_PAIRS['tcp6'] = make_tcp6_pair

TRANSPORTS: Dict[str, Callable[..., Tuple[Any, Any]]] = {'memory': make_memory_pair,
                                                         'tls-memory': make_tls_memory_pair}
for _name, _make in SOCKET_PAIRS.items():
    TRANSPORTS[_name] = _make
    TRANSPORTS['tls-' + _name] = _tls(_make)

#: Seconds any single wait in the contract tests may take.
WAIT = 5.0


def pytest_collection_modifyitems(items: List[Any]) -> None:
    for item in items:
        if 'conformance' in str(item.fspath) and item.get_closest_marker('timeout') is None:
            item.add_marker(pytest.mark.timeout(20))


@pytest.fixture(params=sorted(TRANSPORTS))
def transport(request: Any) -> Callable[..., Tuple[Any, Any]]:
    return TRANSPORTS[request.param]
