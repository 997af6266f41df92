"""test-net-socket-setnodelay.js: setNoDelay() defaults to true, reaches the
handle only when the value changes (truthy values enable, falsy ones disable),
and on a handle without no-delay support does nothing but return the socket.

Node's fake handles (plain objects with setNoDelay/readStart) are gnet's
shipped fakes (gnet.testing.fakes): a FakeTCPHandle whose set_no_delay is
counted, and a FakePipeHandle for the handle with no setNoDelay. JS's empty
{} and [] are truthy, Python's are falsy: non-empty ones stand in for them."""

import gnet as net
from gnet.testing.fakes import FakePipeHandle, FakeTCPHandle


def test_net_socket_setnodelay(common):
    truthyValues = [True, 1, 'true', {'a': 1}, [0]]
    falseyValues = [False, 0, '']
    sockets = []

    def genSetNoDelay(desiredArg):
        def setNoDelay(enable):
            assert enable == desiredArg
        return setNoDelay

    def fake(setNoDelay):
        handle = FakeTCPHandle()
        handle.set_no_delay = setNoDelay
        socket = net.Socket({'handle': handle})
        sockets.append(socket)
        return socket

    socket = fake(common.mustCall(genSetNoDelay(True)))
    socket.setNoDelay()

    socket = fake(common.mustCall(genSetNoDelay(True), 1))
    for testVal in truthyValues:
        socket.setNoDelay(testVal)

    socket = fake(common.mustNotCall())
    for testVal in falseyValues:
        socket.setNoDelay(testVal)

    socket = fake(common.mustCall(3))
    for testVal in truthyValues + falseyValues + truthyValues:
        socket.setNoDelay(testVal)

    socket = net.Socket({'handle': FakePipeHandle()})
    sockets.append(socket)
    returned = socket.setNoDelay(True)
    assert isinstance(returned, net.Socket)

    for socket in sockets:  # Node's process exit drops the fake handles
        socket.destroy()
    common.run()
