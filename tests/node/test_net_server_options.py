"""test-net-server-options.js: createServer() with options that are not an
object (a string, a number) throws ERR_INVALID_ARG_TYPE."""

import gnet as net


def test_net_server_options(common):
    common.throws(lambda: net.createServer('path'),
                  code='ERR_INVALID_ARG_TYPE', name='TypeError')

    common.throws(lambda: net.createServer(0),
                  code='ERR_INVALID_ARG_TYPE', name='TypeError')
