"""The stream contracts of ``gnet.interfaces`` (W1-W5, R1-R4, D1-D3), one test per check.

The checks live in the shipped, pytest-independent suite
``gnet.testing.conformance`` (``check_duplex`` runs them all over a user's
pair); here each one runs over every transport of conftest.TRANSPORTS, so a
failure names its contract: ``test_contract[W2_write_returns_false_iff_queue_reaches_mark-tcp4]``.
"""

import pytest

from gnet.testing import memory_pair
from gnet.testing.conformance import CHECKS, CONTRACTS, check_duplex, run_check


@pytest.mark.parametrize('check', CHECKS, ids=lambda check: '%s_%s' % (check.contract, check.name))
def test_contract(check, transport):
    run_check(check, transport)


def test_every_stream_and_socket_contract_id_has_a_check():
    assert list(CONTRACTS) == ['W1', 'W2', 'W3', 'W4', 'W5', 'R1', 'R2', 'R3', 'R4', 'D1', 'D2', 'D3',
                               'C1', 'K1', 'T1']


@pytest.mark.timeout(120)
def test_check_duplex_over_a_user_pair_and_a_clogged_one():
    check_duplex(lambda **options: memory_pair(**options),
                 lambda **options: memory_pair(capacity=0, **options))


@pytest.mark.timeout(120)
def test_check_duplex_lists_every_failed_contract_and_goes_on():
    def broken_pair(**options):
        a, b = memory_pair(**options)
        real_write = a.write
        a.write = lambda chunk, *args: real_write(b'' if chunk is None else chunk, *args)  # breaks W1
        b.set_encoding = lambda encoding: b                                                # breaks R3
        return a, b
    with pytest.raises(AssertionError) as info:
        check_duplex(broken_pair)
    first_line = str(info.value).splitlines()[0]
    assert first_line == 'contracts failed: W1, R3'  # the other checks still ran, and passed


def test_tls_transports_are_tls_end_to_end(transport, request):
    a, b = transport()
    try:
        name = request.node.callspec.params['transport']
        assert (getattr(a, 'encrypted', None), getattr(b, 'encrypted', None)) == \
            ((True, True) if name.startswith('tls-') else (None, None))
        if name.startswith('tls-'):
            assert a.authorized and a.get_protocol() == b.get_protocol() == 'TLSv1.3'
    finally:
        for end in (a, b):
            end.on('error', lambda *args: None)
            end.destroy()
