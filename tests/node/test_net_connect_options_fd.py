"""test-net-connect-options-fd.js: a Socket made from the descriptor of a
bound but unconnected Unix socket (``fd`` option), in each of the six ways
of connecting, connects that very descriptor to the server's path, and the
data it sends arrives.

Node makes the descriptors with its internal ``Pipe`` binding; the port
makes them with Python's ``socket`` module (bound to a path in
``common.tmpdir``) and hands each descriptor over to gnet (``detach``), so
Node's final clean-up of its own handles has nothing left to close.
``this._handle.fd`` is ``client._handle.fileno``.
"""

import os
import socket as pysocket

import gnet as net

CLIENT_VARIANTS = 6  # the number of ways in testClients


def testClients(getSocketOpt, getConnectOpt, getConnectCb):
    def cloneOptions(index):
        return dict(getSocketOpt(index), **getConnectOpt(index))
    refs = [{} for _ in range(CLIENT_VARIANTS)]
    refs[0]['client'] = net.connect(cloneOptions(0), getConnectCb(0, refs[0]))
    refs[1]['client'] = net.connect(cloneOptions(1)).on('connect', getConnectCb(1, refs[1]))
    refs[2]['client'] = net.createConnection(cloneOptions(2), getConnectCb(2, refs[2]))
    refs[3]['client'] = net.createConnection(cloneOptions(3)).on('connect', getConnectCb(3, refs[3]))
    refs[4]['client'] = net.Socket(getSocketOpt(4)).connect(getConnectOpt(4), getConnectCb(4, refs[4]))
    refs[5]['client'] = net.Socket(getSocketOpt(5)).connect(getConnectOpt(5)).on(
        'connect', getConnectCb(5, refs[5]))
    return [ref['client'] for ref in refs]


testClients.__test__ = False  # Node's name, not a pytest test


def test_net_connect_options_fd(common):
    def forAllClients(cb):
        return common.mustCall(cb, CLIENT_VARIANTS)

    prefix = os.path.join(common.tmpdir, 'fd')  # short: sun_path is 108 bytes
    serverPath = prefix + '-server'
    state = {'counter': 0, 'socketCounter': 0}
    handleMap = {}

    def serverOnConnection(socket):
        info = {}

        def on_data(data):
            info['clientFd'] = data.decode()
            socket.end()
        socket.on('data', common.mustCall(on_data))

        def on_end():
            state['counter'] += 1
            if state['counter'] == CLIENT_VARIANTS:
                net.setTimeout(lambda: server.close(), 10)
        socket.on('end', common.mustCall(on_end, 1))

    def on_server_error(err):
        raise AssertionError('[Pipe server]%s' % err)

    def serverOnListen():
        def getSocketOpt(index):
            handle = pysocket.socket(pysocket.AF_UNIX, pysocket.SOCK_STREAM)
            handle.bind('%s-client-%d' % (prefix, state['socketCounter']))
            state['socketCounter'] += 1
            fd = handle.detach()  # handed over to gnet
            assert fd != -1
            handleMap[index] = fd
            return {'fd': fd, 'readable': True, 'writable': True}

        def getConnectOpt(index=None):
            return {'path': serverPath}

        def getConnectCb(index, ref):
            def clientOnConnect():
                client = ref['client']
                # it wraps the descriptor it was given
                assert index in handleMap
                oldFd = handleMap[index]
                assert oldFd == client._handle.fileno
                client.write(str(oldFd))

                def on_error(err):
                    raise AssertionError('[Pipe Client]%s' % err)
                client.on('error', on_error)
            return common.mustCall(clientOnConnect)

        testClients(getSocketOpt, getConnectOpt, getConnectCb)

    server = net.createServer() \
        .on('connection', forAllClients(serverOnConnection)) \
        .on('error', on_server_error) \
        .listen({'path': serverPath}, common.mustCall(serverOnListen))
    try:
        common.run()
    finally:  # an xfail must not leave a server that keeps the next tests' loops alive
        if server.listening:
            server.close()
