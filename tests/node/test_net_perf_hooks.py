"""test-net-perf_hooks.js: a TCP connect and a Unix-socket connect, each to a
server that destroys the connection at once (the client sees 'end'); Node
checks that exactly one 'net' performance entry, named 'connect' with a host
and a port, is recorded (for the TCP connect only).

Left out: the PerformanceObserver and its entries (perf_hooks has no gnet or
Python counterpart: gnet records no performance timeline).  The connections
themselves are ported."""

import gnet as net


def test_net_perf_hooks(common):
    common.refresh_tmpdir()

    def on_tcp_connection(socket):
        socket.destroy()
    server = net.createServer(common.mustCall(on_tcp_connection))

    def on_tcp_listening():
        socket = net.connect(server.address()['port'])

        def on_end():
            server.close()
        socket.on('end', on_end)

        def on_error(err):
            raise err
        socket.on('error', on_error)
    server.listen(0, common.mustCall(on_tcp_listening))

    def on_pipe_connection(socket):
        socket.destroy()
    pipe_server = net.createServer(common.mustCall(on_pipe_connection))

    def on_pipe_listening():
        socket = net.connect(common.PIPE)

        def on_end():
            pipe_server.close()
        socket.on('end', on_end)

        def on_error(err):
            raise err
        socket.on('error', on_error)
    pipe_server.listen(common.PIPE, common.mustCall(on_pipe_listening))

    common.run()
