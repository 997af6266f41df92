"""test-net-socket-connect-invalid-autoselectfamily.js: connect() with an
autoSelectFamily that is not a boolean throws ERR_INVALID_ARG_TYPE."""

import gnet as net


def test_net_socket_connect_invalid_autoselectfamily(common):
    common.throws(lambda: net.connect({'port': 8080, 'autoSelectFamily': 'INVALID'}),
                  code='ERR_INVALID_ARG_TYPE')
