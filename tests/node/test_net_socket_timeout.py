"""test-net-socket-timeout.js: socket.setTimeout() validates its delay
(ERR_INVALID_ARG_TYPE for non-numbers, ERR_OUT_OF_RANGE for negative or
non-finite ones) and its callback; a 1 ms timeout fires once, and after
destroy() setTimeout() only returns the socket.

Python cannot pass JS's ``undefined`` and ``null`` as distinct values: None
stands for both as a delay, and is left out as a callback (it means "no
callback", JS's ``undefined``, which Node accepts); object() stands in for
``Symbol('test')``."""

import math

import gnet as net


def test_net_socket_timeout(common):
    s = net.Socket()
    nonNumericDelays = [
        '100', True, False, None, None, '', {}, lambda: None, [],
    ]
    badRangeDelays = [-0.001, -1, -math.inf, math.inf, math.nan]
    validDelays = [0, 0.001, 1, 1e6]
    invalidCallbacks = [
        1, '100', True, False, {}, [], object(),
    ]

    for delay in nonNumericDelays:
        common.throws(lambda: s.setTimeout(delay, lambda: None), code='ERR_INVALID_ARG_TYPE')

    for delay in badRangeDelays:
        common.throws(lambda: s.setTimeout(delay, lambda: None), code='ERR_OUT_OF_RANGE')

    for delay in validDelays:
        s.setTimeout(delay, lambda: None)

    for callback in invalidCallbacks:
        for msec in (0, 1):
            common.throws(lambda: s.setTimeout(msec, callback),
                          code='ERR_INVALID_ARG_TYPE', name='TypeError')

    server = net.Server()

    def on_listening():
        socket = net.createConnection(server.address()['port'])

        def on_timeout():
            socket.destroy()
            assert socket.setTimeout(1, common.mustNotCall()) is socket
            server.close()
        assert socket.setTimeout(1, common.mustCall(on_timeout)) is socket

    server.listen(0, common.mustCall(on_listening))
    common.run()
