"""test-net-connect-no-arg.js: connect() without a port, a path or options
naming one (no argument, or an empty options object) raises
ERR_MISSING_ARGS, from net.connect() and from Socket.connect()."""

import gnet as net

MESSAGE = 'The "options" or "port" or "path" argument must be specified'


def test_net_connect_no_arg(common):
    common.throws(lambda: net.connect(), code='ERR_MISSING_ARGS', message=MESSAGE)

    common.throws(lambda: net.Socket().connect(), code='ERR_MISSING_ARGS', message=MESSAGE)

    common.throws(lambda: net.connect({}), code='ERR_MISSING_ARGS', message=MESSAGE)

    common.throws(lambda: net.Socket().connect({}), code='ERR_MISSING_ARGS', message=MESSAGE)
    common.run()
