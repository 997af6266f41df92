"""test-net-connect-options-allowhalfopen.js: clients made with
``allowHalfOpen: true`` in each of the six ways of connecting stay writable
after the server's FIN (no longer readable, write() returns true), and
their own later FIN reaches the server, whose sockets also allow half-open
connections; every 'end' fires once.

Node's handlers use ``this`` for the socket; here each client is held in a
small dict filled in when it is made, and each server socket's client id in
a dict of its own.
"""

import gnet as net

CLIENT_VARIANTS = 6


def test_net_connect_options_allowhalfopen(common):
    counts = {'clientReceivedFIN': 0, 'serverConnections': 0,
              'clientSentFIN': 0, 'serverReceivedFIN': 0}
    host = common.localhostIPv4

    def serverOnConnection(socket):
        counts['serverConnections'] += 1
        info = {}
        socket.resume()

        def socketOnData(data):
            info['clientId'] = data.decode()
        socket.on('data', common.mustCall(socketOnData))

        # 'end' must not be emitted twice on any socket
        def socketOnEnd():
            counts['serverReceivedFIN'] += 1
            if counts['serverReceivedFIN'] < CLIENT_VARIANTS:
                return
            net.setTimeout(lambda: server.close(), 50)
        socket.on('end', common.mustCall(socketOnEnd, 1))
        socket.end()

    def clientOnConnect(index, ref):
        def clientOnConnectInner():
            client = ref['client']
            client.resume()

            def clientOnEnd():
                def closeServer():
                    # allowHalfOpen: still writable after the server's FIN, but not readable
                    assert not client.readable
                    assert client.writable
                    assert client.write(str(index))
                    client.end()
                    counts['clientSentFIN'] += 1
                net.setTimeout(closeServer, 50)
            client.on('end', common.mustCall(clientOnEnd))

            def clientOnClose(had_error=False):
                counts['clientReceivedFIN'] += 1
            client.on('close', common.mustCall(clientOnClose))
        return common.mustCall(clientOnConnectInner)

    def serverOnClose():
        pass

    def serverOnListen():
        port = server.address()['port']
        opts = {'allowHalfOpen': True, 'host': host, 'port': port}
        refs = [{} for _ in range(CLIENT_VARIANTS + 1)]
        # the six variants (CLIENT_VARIANTS)
        refs[1]['client'] = net.connect(opts, clientOnConnect(1, refs[1]))
        refs[2]['client'] = net.connect(opts).on('connect', clientOnConnect(2, refs[2]))
        refs[3]['client'] = net.createConnection(opts, clientOnConnect(3, refs[3]))
        refs[4]['client'] = net.createConnection(opts).on('connect', clientOnConnect(4, refs[4]))
        refs[5]['client'] = net.Socket(opts).connect(opts, clientOnConnect(5, refs[5]))
        refs[6]['client'] = net.Socket(opts).connect(opts).on('connect', clientOnConnect(6, refs[6]))

    server = net.createServer({'allowHalfOpen': True}) \
        .on('connection', common.mustCall(serverOnConnection, CLIENT_VARIANTS)) \
        .on('close', common.mustCall(serverOnClose)) \
        .listen(0, host, common.mustCall(serverOnListen))
    common.run()
