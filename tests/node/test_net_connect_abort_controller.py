"""test-net-connect-abort-controller.js: an AbortSignal given to net.connect()
or to the Socket constructor destroys the socket with an AbortError, whether
it is aborted before, right after, or a turn after the socket is made; the
socket adds an 'abort' listener only when the signal is not aborted yet.

Node's async listen callback becomes a greenlet (``gevent.spawn``) and each
``await once(socket, 'close')`` a blocking ``net.once``; Node's
``getEventListeners(signal, 'abort').length`` is
``signal.listenerCount('abort')``.  An error in that greenlet is re-raised
after the loop (Node: an unhandled rejection).
"""

import gevent
import pytest

import gnet as net


def test_net_connect_abort_controller(common):
    server = net.createServer()

    liveConnections = set()

    def main():
        port = server.address()['port']
        host = 'localhost'

        def socketOptions(signal):
            return {'port': port, 'host': host, 'signal': signal}

        def on_connection(connection):
            liveConnections.add(connection)
            connection.on('close', lambda had_error=False: liveConnections.discard(connection))
        server.on('connection', on_connection)

        def assertAbort(socket, testName):
            try:
                net.once(socket, 'close')
                pytest.fail('close %s should have thrown' % testName)
            except Exception as err:  # noqa: BLE001 - checked below
                assert err.name == 'AbortError'

        def postAbort():
            ac = net.AbortController()
            signal = ac.signal
            socket = net.connect(socketOptions(signal))
            assert signal.listenerCount('abort') == 1
            ac.abort()
            assertAbort(socket, 'postAbort')

        def preAbort():
            ac = net.AbortController()
            signal = ac.signal
            ac.abort()
            socket = net.connect(socketOptions(signal))
            assert signal.listenerCount('abort') == 0
            assertAbort(socket, 'preAbort')

        def tickAbort():
            ac = net.AbortController()
            signal = ac.signal
            net.setImmediate(lambda: ac.abort())
            socket = net.connect(socketOptions(signal))
            assert signal.listenerCount('abort') == 1
            assertAbort(socket, 'tickAbort')

        def testConstructor():
            ac = net.AbortController()
            signal = ac.signal
            ac.abort()
            socket = net.Socket(socketOptions(signal))
            assert signal.listenerCount('abort') == 0
            assertAbort(socket, 'testConstructor')

        def testConstructorPost():
            ac = net.AbortController()
            signal = ac.signal
            socket = net.Socket(socketOptions(signal))
            assert signal.listenerCount('abort') == 1
            ac.abort()
            assertAbort(socket, 'testConstructorPost')

        def testConstructorPostTick():
            ac = net.AbortController()
            signal = ac.signal
            socket = net.Socket(socketOptions(signal))
            assert signal.listenerCount('abort') == 1
            net.setImmediate(lambda: ac.abort())
            assertAbort(socket, 'testConstructorPostTick')

        try:
            postAbort()
            preAbort()
            tickAbort()
            testConstructor()
            testConstructorPost()
            testConstructorPostTick()
        except BaseException:
            server.close()  # Node would crash here; let the loop drain instead
            raise

        # sockets killed before they connected leave the server's side open
        for connection in list(liveConnections):
            connection.destroy()
        server.close(common.mustCall())

    tasks = []
    server.listen(0, common.mustCall(lambda: tasks.append(gevent.spawn(main))))
    common.on_exit(lambda: [task.get() for task in tasks])
    common.run()

