"""test-net-connect-memleak.js: the connect callback given to
createConnection() is not kept once it has run: an object only it refers
to can be garbage-collected while the socket is still open.

Node's ``onGC`` is a ``weakref.finalize`` here and ``global.gc()`` is
``gc.collect()``.  The callback is counted by a separate must-call (the
``common`` helpers keep the function they wrap, which would hold the
object alive; Node's keep only a counter).
"""

import gc
import weakref

import gnet as net


class GcObject:
    pass


def test_net_connect_memleak(common):
    server = net.createServer(common.mustCall()).listen(0)

    state = {'collected': False}

    def ongc():
        state['collected'] = True

    def done(sock):
        gc.collect()

        def later():
            assert state['collected'] is True
            sock.end()
            server.close()
        net.setImmediate(later)

    def block():
        gcObject = GcObject()
        weakref.finalize(gcObject, ongc)
        connected = common.mustCall()

        def on_connect():
            connected()
            assert gcObject is gcObject  # keeps the reference alive
            assert state['collected'] is False
            net.setImmediate(done, sock)

        sock = net.createConnection(server.address()['port'], on_connect)
    block()
    common.run()
