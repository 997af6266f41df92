"""test-net-localerror.js: connect() raises ERR_INVALID_IP_ADDRESS for a
localAddress that is not an IP, and ERR_INVALID_ARG_TYPE for a non-numeric
localPort (both TypeErrors)."""

import gnet as net


def test_net_localerror(common):
    def connect(opts, code, type):
        common.throws(lambda: net.connect(opts), code=code, name=type.__name__)

    connect({
        'host': 'localhost',
        'port': 0,
        'localAddress': 'foobar',
    }, 'ERR_INVALID_IP_ADDRESS', TypeError)

    connect({
        'host': 'localhost',
        'port': 0,
        'localPort': 'foobar',
    }, 'ERR_INVALID_ARG_TYPE', TypeError)
    common.run()
