"""test-net-connect-options-path.js: the twelve ways to connect to a Unix
socket path (connect/createConnection/Socket.connect, path or {path}, with a
callback or a 'connect' listener) each connect, end and close."""

import gnet as net

CLIENT_VARIANTS = 12


def test_net_connect_options_path(common):
    common.refresh_tmpdir()
    prefix = '%s-net-connect-options-path' % common.PIPE
    serverPath = '%s-server' % prefix
    state = {'counter': 0}

    def on_connection(socket):
        socket.end('ok')

    def on_listening():
        # Node's callback uses `this` (the socket); here the socket is handed
        # to getConnectCb through a one-element list filled right after connect().
        def getConnectCb(box):
            def on_connect():
                this = box[0]
                this.end()

                def on_close(had_error):
                    state['counter'] += 1
                    if state['counter'] == CLIENT_VARIANTS:
                        server.close()
                this.on('close', common.mustCall(on_close))
            return common.mustCall(on_connect)

        def variant(make):
            box = []
            box.append(make(getConnectCb(box)))

        # CLIENT_VARIANTS depends on the following lines
        variant(lambda cb: net.connect(serverPath, cb).resume())
        variant(lambda cb: net.connect(serverPath).on('connect', cb).resume())
        variant(lambda cb: net.createConnection(serverPath, cb).resume())
        variant(lambda cb: net.createConnection(serverPath).on('connect', cb).resume())
        variant(lambda cb: net.Socket().connect(serverPath, cb).resume())
        variant(lambda cb: net.Socket().connect(serverPath).on('connect', cb).resume())
        variant(lambda cb: net.connect({'path': serverPath}, cb).resume())
        variant(lambda cb: net.connect({'path': serverPath}).on('connect', cb).resume())
        variant(lambda cb: net.createConnection({'path': serverPath}, cb).resume())
        variant(lambda cb: net.createConnection({'path': serverPath}).on('connect', cb).resume())
        variant(lambda cb: net.Socket().connect({'path': serverPath}, cb).resume())
        variant(lambda cb: net.Socket().connect({'path': serverPath}).on('connect', cb).resume())

    server = net.createServer().on(
        'connection', common.mustCall(on_connection, CLIENT_VARIANTS)
    ).listen(serverPath, common.mustCall(on_listening))
    common.run()
