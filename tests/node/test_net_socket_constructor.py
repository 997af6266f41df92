"""test-net-socket-constructor.js: new net.Socket() validates options.fd
(ERR_OUT_OF_RANGE, ERR_INVALID_ARG_TYPE), and sockets made without a handle,
accepted, connected, or adopted from a descriptor are readable and writable.

Differences: the cluster worker, which Node forks only to be handed stdio
pipes as descriptors 4, 5 and 6, runs in-process on the descriptors of
socket pairs (libuv's stdio pipes are socket pairs too); its exit-code check
goes with the fork. Left out: the two checks that build a Socket on another
socket's internal ``_handle`` (Node internals, no public equivalent)."""

import os
import socket as pysocket

import gnet as net


def _test(made, sock, readable, writable):
    if isinstance(sock, net.Socket):
        socket = sock
    else:
        socket = net.Socket(sock)
        socket.unref()
        made.append(socket)

    assert socket.readable == readable
    assert socket.writable == writable


def test_net_socket_constructor_invalid_fd(common):
    common.throws(lambda: net.Socket({'fd': -1}), code='ERR_OUT_OF_RANGE')

    common.throws(lambda: net.Socket({'fd': 'foo'}), code='ERR_INVALID_ARG_TYPE')


def test_net_socket_constructor_primary(common):
    made = []

    def test(sock, readable, writable):
        _test(made, sock, readable, writable)

    test(None, True, True)

    def on_connection(socket):
        socket.unref()
        test(socket, True, True)
        server.close()

    server = net.createServer(common.mustCall(on_connection))

    def on_listening():
        port = server.address()['port']

        def on_connect():
            test(socket, True, True)
            socket.end()
        socket = net.connect(port, common.mustCall(on_connect))

        test(socket, True, True)

    server.listen(common.mustCall(on_listening))
    common.run()


def _worker(common, make_args):
    made = []

    def test(sock, readable, writable):
        _test(made, sock, readable, writable)

    pairs = [pysocket.socketpair() for _ in range(3)]
    fds = [ours.detach() for ours, _theirs in pairs]
    adopted = set()
    try:
        for fd, sock in make_args(fds):
            test(sock, True, True)
            adopted.add(fd)
    finally:
        # the worker's exit closes them in Node
        for socket in made:
            socket.destroy()
        for fd in set(fds) - adopted:
            os.close(fd)
        for _ours, theirs in pairs:
            theirs.close()
    common.run()


def test_net_socket_constructor_worker_fd_number(common):
    _worker(common, lambda fds: [(fds[0], fds[0])])


def test_net_socket_constructor_worker(common):
    _worker(common, lambda fds: [
        (fds[1], {'fd': fds[1]}),
        (fds[2], {'fd': fds[2], 'readable': True, 'writable': True}),
    ])
