"""test-net-socket-timeout-unref.js: unref'd sockets with long idle timeouts
(and an unref'd server) do not keep the loop alive: it exits without any
'timeout' firing."""

import gnet as net


def test_net_socket_timeout_unref(common):
    def on_connection(c):
        c.write('hello')
        c.unref()

    server = net.createServer(on_connection)
    server.listen(0)
    server.unref()

    state = {'connections': 0}
    sockets = []
    delays = [8, 5, 3, 6, 2, 4]

    for T in delays:
        socket = net.createConnection(server.address()['port'], 'localhost')

        def on_connect():
            state['connections'] += 1
            if state['connections'] == len(delays):
                for s in sockets:
                    def on_timeout(s=s):
                        s['socket'].destroy()
                        raise Exception('socket timed out unexpectedly')
                    s['socket'].setTimeout(s['timeout'], on_timeout)

                    s['socket'].unref()
        socket.on('connect', common.mustCall(on_connect))

        sockets.append({'socket': socket, 'timeout': T * 1000})

    common.run()
    # what Node's process exit does to everything left unref'd
    for s in sockets:
        s['socket'].destroy()
    server.close()
