"""test-net-remote-address-port.js: remoteAddress, remoteFamily and remotePort
are unset while a client connects, are the peer's on both ends once
connected (on 127.0.0.1 and on 'localhost'), and are still readable in
'close'."""

import gnet as net


def test_net_remote_address_port(common):
    state = {'conns_closed': 0}

    remoteAddrCandidates = [common.localhostIPv4, '::1', '::ffff:127.0.0.1']

    remoteFamilyCandidates = ['IPv4', 'IPv6']

    def on_connection(socket):
        assert socket.remoteAddress in remoteAddrCandidates, \
            'Invalid remoteAddress: %s' % socket.remoteAddress
        assert socket.remoteFamily in remoteFamilyCandidates, \
            'Invalid remoteFamily: %s' % socket.remoteFamily
        assert socket.remotePort
        assert socket.remotePort != server.address()['port']

        def on_end():
            state['conns_closed'] += 1
            if state['conns_closed'] == 2:
                server.close()
        socket.on('end', on_end)

        def on_close(*_):
            assert socket.remoteAddress in remoteAddrCandidates
            assert socket.remoteFamily in remoteFamilyCandidates
        socket.on('close', on_close)
        socket.resume()

    server = net.createServer(common.mustCall(on_connection, 2))

    def on_listening():
        client = net.createConnection(server.address()['port'], '127.0.0.1')
        client2 = net.createConnection(server.address()['port'])

        assert client.remoteAddress is None
        assert client.remoteFamily is None
        assert client.remotePort is None
        assert client2.remoteAddress is None
        assert client2.remoteFamily is None
        assert client2.remotePort is None

        def on_connect():
            assert client.remoteAddress in remoteAddrCandidates
            assert client.remoteFamily in remoteFamilyCandidates
            assert client.remotePort == server.address()['port']
            client.end()
        client.on('connect', on_connect)

        def on_close(*_):
            assert client.remoteAddress in remoteAddrCandidates
            assert client.remoteFamily in remoteFamilyCandidates
        client.on('close', on_close)

        def on_connect2():
            assert client2.remoteAddress in remoteAddrCandidates
            assert client2.remoteFamily in remoteFamilyCandidates
            assert client2.remotePort == server.address()['port']
            client2.end()
        client2.on('connect', on_connect2)

        def on_close2(*_):
            assert client2.remoteAddress in remoteAddrCandidates
            assert client2.remoteFamily in remoteFamilyCandidates
        client2.on('close', on_close2)

    server.listen(0, on_listening)

    common.run()
