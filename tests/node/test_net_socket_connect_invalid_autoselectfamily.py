"""test-net-socket-connect-invalid-autoselectfamily.js: connect() with an
autoSelectFamily that is not a boolean throws ERR_INVALID_ARG_TYPE."""

import pytest

import gnet as net

pytestmark = pytest.mark.xfail(strict=True, reason="divergence 9: autoSelectFamily 'INVALID' is "
                                                   "accepted and the socket connects")


def test_net_socket_connect_invalid_autoselectfamily(common):
    opened = []

    def connect():
        opened.append(net.connect({'port': 8080, 'autoSelectFamily': 'INVALID'}))

    try:
        common.throws(connect, code='ERR_INVALID_ARG_TYPE')
    finally:
        for sock in opened:  # not thrown: a socket is connecting; not to be left behind
            sock.destroy()
