"""test-net-server-listen-options.js: every way to listen on a free port
(listen(), listen(cb), listen(0), listen({port: 0}); a port of '0', 0,
undefined or null, as listen(port) and as listen({port})) emits 'listening';
a bad port throws ERR_SOCKET_BAD_PORT (a port beats a path in the options);
options that are not an object, a bad fd or path, or no port nor path throw
ERR_INVALID_ARG_VALUE with Node's message.

`this.close()` in Node's listeners closes the server the callback belongs to;
here each callback is made for its server."""

import re

import gnet as net


def test_net_server_listen_options(common):
    def close(server):
        return lambda: server.close()

    # listen()
    server = net.createServer()
    server.listen().on('listening', common.mustCall(close(server)))
    # listen(cb)
    server = net.createServer()
    server.listen(common.mustCall(close(server)))
    # listen(port)
    server = net.createServer()
    server.listen(0).on('listening', common.mustCall(close(server)))
    # listen({port})
    server = net.createServer()
    server.listen({'port': 0}).on('listening', common.mustCall(close(server)))

    def listen_options(port, make_cb):
        server = net.createServer()
        return server.listen({'port': port}, make_cb(server))

    def listen_port(port, make_cb):
        server = net.createServer()
        return server.listen(port, make_cb(server))

    listenOnPort = [listen_options, listen_port]

    def assertPort(fn):
        common.throws(fn, code='ERR_SOCKET_BAD_PORT', name='RangeError')

    def must_close(server):
        return common.mustCall(close(server))

    def must_not(server):
        return common.mustNotCall()

    for listen in listenOnPort:
        # free ports
        listen('0', must_close)
        listen(0, must_close)
        listen(None, must_close)  # Node: undefined
        listen(None, must_close)  # Node: null
        # bad ports
        assertPort(lambda: listen(-1, must_not))
        assertPort(lambda: listen(float('nan'), must_not))
        assertPort(lambda: listen(123.456, must_not))
        assertPort(lambda: listen(65536, must_not))
        assertPort(lambda: listen(float('inf'), must_not))
        assertPort(lambda: listen(float('-inf'), must_not))
    # in listen(options, cb), a port beats a path
    assertPort(lambda: net.createServer().listen({'port': -1, 'path': common.PIPE},
                                                 common.mustNotCall()))

    def shouldFailToListen(options):
        def fn():
            net.createServer().listen(options, common.mustNotCall())

        if isinstance(options, dict) and not ('port' in options or 'path' in options):
            common.throws(fn, code='ERR_INVALID_ARG_VALUE', name='TypeError',
                          message=re.compile(r'^The argument \'options\' must have the property '
                                             r'"port" or "path"\. Received .+$'))
        else:
            common.throws(fn, code='ERR_INVALID_ARG_VALUE', name='TypeError',
                          message=re.compile(r"^The argument 'options' is invalid\. Received .+$"))

    shouldFailToListen(False)
    shouldFailToListen({'port': False})
    shouldFailToListen(True)
    shouldFailToListen({'port': True})
    # a bad fd as listen(handle)
    shouldFailToListen({'fd': -1})
    # a bad path in listen(options)
    shouldFailToListen({'path': -1})

    # neither port nor path
    shouldFailToListen({})
    shouldFailToListen({'host': 'localhost'})
    shouldFailToListen({'host': 'localhost:3000'})
    shouldFailToListen({'host': {'port': 3000}})
    shouldFailToListen({'exclusive': True})

    common.run()
