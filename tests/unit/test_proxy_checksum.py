"""gnet.proxy.checksum: CRC-32C, google-crc32c's C code when installed, else pure Python.

Both implementations must agree bit for bit; the pure one is exercised
directly (``crc32c_pure``) and forced into the PROXY v2 parser and encoder.
"""

import importlib.util
import random
import sys

import pytest

from gnet.proxy import checksum
from gnet.proxy import protocol as pp

# RFC 3720 (iSCSI), appendix B.4, plus the customary check value
VECTORS = [
    (b'', 0x00000000),
    (b'123456789', 0xE3069283),
    (bytes(32), 0x8A9136AA),
    (b'\xff' * 32, 0x62A8AB43),
    (bytes(range(32)), 0x46DD794E),
    (bytes(range(31, -1, -1)), 0x113FDB5C),
]

IMPLEMENTATIONS = [pytest.param(checksum.crc32c_pure, id='pure'),
                   pytest.param(checksum.crc32c, id=checksum.IMPLEMENTATION)]


@pytest.mark.parametrize('crc', IMPLEMENTATIONS)
@pytest.mark.parametrize('data, expected', VECTORS)
def test_known_vectors(crc, data, expected):
    assert crc(data) == expected
    assert crc(bytearray(data)) == expected and crc(memoryview(data)) == expected


def test_large_random_input_gives_the_same_checksum_both_ways():
    data = random.Random(3720).randbytes((1 << 20) + 7)
    expected = checksum.crc32c_pure(data)
    assert checksum.crc32c(data) == expected
    assert checksum.crc32c(data[:-1]) != expected  # it does look at every byte


def test_the_c_implementation_is_used_when_installed():
    google_crc32c = pytest.importorskip('google_crc32c')
    if google_crc32c.implementation != 'c':
        pytest.skip('google-crc32c without its C extension')
    assert checksum.IMPLEMENTATION == 'google-crc32c'
    assert checksum.crc32c is not checksum.crc32c_pure


def fresh_checksum_module():
    """gnet/proxy/checksum.py executed again, as a module of its own."""
    spec = importlib.util.spec_from_file_location('checksum_copy', checksum.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_the_package_the_pure_one_is_used(monkeypatch):
    monkeypatch.setitem(sys.modules, 'google_crc32c', None)  # import raises ImportError
    module = fresh_checksum_module()
    assert module.IMPLEMENTATION == 'python' and module.crc32c is module.crc32c_pure
    assert module.crc32c(b'123456789') == 0xE3069283


def test_the_proxy_protocol_works_with_the_pure_one_forced(monkeypatch):
    fast = pp.encode_v2('10.0.0.1', 1, '10.0.0.2', 2, checksum=True)
    monkeypatch.setattr(pp, 'crc32c', checksum.crc32c_pure)
    pure = pp.encode_v2('10.0.0.1', 1, '10.0.0.2', 2, checksum=True)
    assert pure == fast
    header, used = pp.parse(fast)
    assert used == len(fast) and header.tlv(pp.PP2_TYPE_CRC32C) is not None
    with pytest.raises(pp.ProxyProtocolError, match='CRC32C mismatch'):
        pp.parse(fast[:20] + bytes([fast[20] ^ 1]) + fast[21:])
