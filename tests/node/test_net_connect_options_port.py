"""test-net-connect-options-port.js: every connect form (net.createConnection,
net.connect, new Socket().connect; with a callback or a 'connect' listener)
validates the port synchronously (wrong type -> ERR_INVALID_ARG_TYPE, out of
range or malformed -> ERR_SOCKET_BAD_PORT), rejects unknown lookup hints, accepts
a port as a number, a numeric string or a hex string (72 connections), and
emits a 'connect E...' error for port 0.

Left out: the `port: null` case (Node tells null, a wrong type, from undefined,
a missing port; Python has only None, and gnet treats it as a missing port)."""

import re

import gnet as net

from .node_common import node_name

# dns.ADDRCONFIG | dns.V4MAPPED | dns.ALL as Node defines them on Linux, + 42
ADDRCONFIG, V4MAPPED, ALL = 32, 8, 16


def doConnect(args, getCb):
    def createConnectionWithCb():
        return net.createConnection(*(args + [getCb()])).resume()

    def createConnectionWithoutCb():
        return net.createConnection(*args).on('connect', getCb()).resume()

    def connectWithCb():
        return net.connect(*(args + [getCb()])).resume()

    def connectWithoutCb():
        return net.connect(*args).on('connect', getCb()).resume()

    def socketConnectWithCb():
        socket = net.Socket()
        return socket.connect(*(args + [getCb()])).resume()

    def socketConnectWithoutCb():
        socket = net.Socket()
        return socket.connect(*args).on('connect', getCb()).resume()

    return [createConnectionWithCb, createConnectionWithoutCb, connectWithCb,
            connectWithoutCb, socketConnectWithCb, socketConnectWithoutCb]


def syncFailToConnect(common, port, assertErr, optOnly=False):
    family = 4
    if not optOnly:
        for fn in doConnect([{'port': port, 'family': family}], lambda: common.mustNotCall()):
            common.throws(fn, **assertErr)
        for fn in doConnect([{'port': port, 'host': 'localhost', 'family': family}],
                            lambda: common.mustNotCall()):
            common.throws(fn, **assertErr)
    for fn in doConnect([{'port': port, 'family': family}], lambda: common.mustNotCall()):
        common.throws(fn, **assertErr)
    for fn in doConnect([{'port': port, 'host': 'localhost', 'family': family}],
                        lambda: common.mustNotCall()):
        common.throws(fn, **assertErr)


def test_port_type_errors(common):
    portTypeError = {'code': 'ERR_INVALID_ARG_TYPE', 'name': 'TypeError'}
    syncFailToConnect(common, True, portTypeError)
    syncFailToConnect(common, False, portTypeError)
    syncFailToConnect(common, [], portTypeError, True)
    syncFailToConnect(common, {}, portTypeError, True)
    common.run()


def test_port_range_errors(common):
    portRangeError = {'code': 'ERR_SOCKET_BAD_PORT', 'name': 'RangeError'}
    syncFailToConnect(common, '', portRangeError)
    syncFailToConnect(common, ' ', portRangeError)
    syncFailToConnect(common, '0x', portRangeError, True)
    syncFailToConnect(common, '-0x1', portRangeError, True)
    syncFailToConnect(common, float('nan'), portRangeError)
    syncFailToConnect(common, float('inf'), portRangeError)
    syncFailToConnect(common, -1, portRangeError)
    syncFailToConnect(common, 65536, portRangeError)
    common.run()


def test_invalid_hints(common):
    hints = (ADDRCONFIG | V4MAPPED | ALL) + 42
    hintOptBlocks = doConnect([{'port': 42, 'hints': hints}], lambda: common.mustNotCall())
    try:
        for fn in hintOptBlocks:
            common.throws(fn, code='ERR_INVALID_ARG_VALUE', name='TypeError',
                          message=re.compile(r"The argument 'hints' is invalid\. Received \d+"))
    finally:
        common.run()


def test_connect_forms(common):
    expectedConnections = 72
    state = {'serverConnected': 0}

    def on_connection(socket):
        socket.end('ok')
        state['serverConnected'] += 1
        if state['serverConnected'] == expectedConnections:
            server.close()

    server = net.createServer(common.mustCall(on_connection, expectedConnections))

    def canConnect(port):
        noop = lambda: common.mustCall()  # noqa: E731
        family = 4
        for fn in doConnect([{'port': port, 'family': family}], noop):
            fn()
        for fn in doConnect([{'port': port, 'host': 'localhost', 'family': family}], noop):
            fn()
        for fn in doConnect([{'port': port, 'family': family}], noop):
            fn()
        for fn in doConnect([{'port': port, 'host': 'localhost', 'family': family}], noop):
            fn()

    def asyncFailToConnect(port):
        def onError():
            def check(err):
                assert re.match(r'^Error: connect E\w+.+$', '%s: %s' % (node_name(err), err)), err
            return common.mustCall(check)

        dont = lambda: common.mustNotCall()  # noqa: E731
        family = 4
        for fn in doConnect([{'port': port, 'family': family}], dont):
            fn().on('error', onError())
        for fn in doConnect([{'port': port, 'family': family}], dont):
            fn().on('error', onError())
        for fn in doConnect([{'port': port, 'host': 'localhost', 'family': family}], dont):
            fn().on('error', onError())

    def on_listening():
        port = server.address()['port']
        canConnect(port)
        canConnect(str(port))
        canConnect('0x%x' % port)

    server.listen(0, common.localhostIPv4, common.mustCall(on_listening))
    server.on('close', lambda: asyncFailToConnect(0))
    common.run()
