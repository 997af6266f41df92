"""Server options stay valid for the server's whole life (issue 18, items 3 and 4).

A server applies its options to every connection it accepts, in the accept
greenlet.  A value that cannot be applied there would make every connection
fail where nobody can catch it (no ``'connection'``, a client left hanging,
a descriptor leaked per attempt), so each option is checked where it is
given -- to ``create_server`` or assigned later -- and a keep-alive delay
out of any range is coerced as Node does (``~~(ms / 1000)``), never raised.
Over TCP and IPC.
"""

import pytest

import gnet
from gnet import errors
from gnet.net import socket_options
from server_helpers import make_harness, read_until_closed

TRANSPORTS = ['tcp4', 'ipc']

#: (option, bad value, the Node error) -- each is refused by create_server and by the setter
BAD_OPTIONS = [
    ('keep_alive_initial_delay', 'x', errors.ERR_INVALID_ARG_TYPE),
    ('keep_alive_initial_delay', b'1000', errors.ERR_INVALID_ARG_TYPE),
    ('high_water_mark', float('nan'), errors.ERR_OUT_OF_RANGE),
    ('high_water_mark', float('inf'), errors.ERR_OUT_OF_RANGE),
    ('high_water_mark', 1.5, errors.ERR_OUT_OF_RANGE),
    ('high_water_mark', 'x', errors.ERR_INVALID_ARG_TYPE),
    ('no_delay', 'x', errors.ERR_INVALID_ARG_TYPE),
    ('keep_alive', 1, errors.ERR_INVALID_ARG_TYPE),
    ('allow_half_open', [], errors.ERR_INVALID_ARG_TYPE),
    ('pause_on_connect', 'yes', errors.ERR_INVALID_ARG_TYPE),
    ('block_list', 5, errors.ERR_INVALID_ARG_TYPE),
]


@pytest.fixture(params=TRANSPORTS)
def h(request, tmp_path):
    return make_harness(request, tmp_path, request.param)


@pytest.mark.timeout(20)
@pytest.mark.parametrize('name,value,error', BAD_OPTIONS,
                         ids=['%s-%r' % (n, v) for n, v, _ in BAD_OPTIONS])
def test_bad_option_raises_at_create_and_when_set(name, value, error):
    with pytest.raises(error):
        gnet.create_server(**{name: value})
    server = gnet.create_server()
    with pytest.raises(error):
        setattr(server, name, value)
    with pytest.raises(error):  # and under Node's name
        setattr(server, gnet.naming.camel(name), value)


@pytest.mark.timeout(30)
@pytest.mark.parametrize('delay', [2 ** 31 * 1000, float('nan'), float('inf'), float('-inf'),
                                   -5000, pytest.param(10 ** 400, id='10**400')])
def test_out_of_range_keep_alive_delay_set_later_still_serves(h, delay):
    """Set after the server listens: every later connection is still served and closed."""
    server = h.serving(lambda conn: conn.end('hi'))
    server.keep_alive = True
    server.keep_alive_initial_delay = delay
    if delay == delay:  # not NaN
        assert server.keep_alive_initial_delay == max(delay, 0)
    for _ in range(3):
        client = h.raw_client(server)
        assert read_until_closed(client) == (b'hi', 'eof')
        client.close()


@pytest.mark.timeout(30)
def test_negative_keep_alive_delay_is_zero():
    """Node's constructors: ``if (keepAliveInitialDelay < 0) keepAliveInitialDelay = 0``."""
    assert gnet.create_server(keep_alive_initial_delay=-5000).keep_alive_initial_delay == 0
    assert gnet.create_server(keep_alive_initial_delay=None).keep_alive_initial_delay == 0


@pytest.mark.timeout(30)
def test_connection_that_cannot_be_built_closes_its_descriptor(h, monkeypatch):
    """If building the accepted Socket fails, the handle is closed (the peer sees EOF or a
    reset, never a hang) and the failure is the accept loop's uncaught exception."""
    boom = RuntimeError('cannot build the socket')

    def failing(server):
        raise boom
    monkeypatch.setattr(socket_options.SocketConfig, 'of_server', classmethod(
        lambda cls, server: failing(server)))
    caught = []
    gnet.process.on('uncaughtException', lambda err, origin=None: caught.append(err))
    try:
        server = h.serving(h.never('connection'))
        for _ in range(3):
            client = h.raw_client(server)
            data, how = read_until_closed(client)
            assert data == b'' and how in ('eof', 'reset')
            client.close()
        assert caught and all(err is boom for err in caught)
    finally:
        gnet.process.remove_all_listeners('uncaughtException')
