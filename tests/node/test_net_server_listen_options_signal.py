"""test-net-server-listen-options-signal.js: listen({signal}) rejects a signal
that is not an AbortSignal (ERR_INVALID_ARG_TYPE); aborting the signal, or
passing one already aborted, closes the server."""

import gnet as net


def test_net_server_listen_options_signal(common):
    # a bad signal
    server = net.createServer()
    common.throws(lambda: server.listen({'port': 0, 'signal': 'INVALID_SIGNAL'}),
                  code='ERR_INVALID_ARG_TYPE', name='TypeError')

    # abort closes
    server = net.createServer()
    controller = net.AbortController()
    server.on('close', common.mustCall())
    server.listen({'port': 0, 'signal': controller.signal})
    controller.abort()

    # a signal aborted already closes
    server = net.createServer()
    signal = net.AbortSignal.abort()
    server.on('close', common.mustCall())
    server.listen({'port': 0, 'signal': signal})

    common.run()
