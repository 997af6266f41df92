"""test-net-client-bind-twice.js: a client asking for a local port that a
listening server already holds (localAddress/localPort) gets an EADDRINUSE
'error' and never connects."""

import gnet as net


def test_net_client_bind_twice(common):
    server1 = net.createServer(common.mustNotCall())

    def on_listening1():
        server2 = net.createServer(common.mustNotCall())

        def on_listening2():
            client = net.connect({
                'host': common.localhostIPv4,
                'port': server1.address()['port'],
                'localAddress': common.localhostIPv4,
                'localPort': server2.address()['port'],
            }, common.mustNotCall())

            def on_error(err):
                assert err.code == 'EADDRINUSE'
                server1.close()
                server2.close()
            client.on('error', common.mustCall(on_error))

        server2.listen(0, common.localhostIPv4, common.mustCall(on_listening2))

    server1.listen(0, common.localhostIPv4, common.mustCall(on_listening1))
    common.run()
