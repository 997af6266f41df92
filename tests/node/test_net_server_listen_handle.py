"""test-net-server-listen-handle.js: a server listens on a socket bound
elsewhere, TCP or Unix, given as listen(handle), listen({handle}),
listen({_handle}) or listen({fd}), each with a callback or a 'listening'
listener; a descriptor that is not a socket fails with 'listen EINVAL'.

Node makes its handles with internalBinding('tcp_wrap'/'pipe_wrap'); the
Python equivalent is a bound `socket.socket`.  gnet listens on a duplicate of
a socket object given as a handle, so the test closes its own socket once the
server has closed (Node's test does that for its pipe handles; its TCP handles
are owned by the server); a descriptor given as {fd} is handed over with
`socket.detach()`, as Node's server takes the fd over."""

import os
import socket as pysocket

import gnet as net

from .node_common import node_name


def test_net_server_listen_handle(common):
    common.refresh_tmpdir()
    counter = [0]

    def closeServer(server, handle):
        def close():
            server.close()
            handle.close()
        return common.mustCall(close)

    closePipeServer = closeServer

    def randomPipePath():
        path = '%s-listen-handle-%d' % (common.PIPE, counter[0])
        counter[0] += 1
        return path

    def randomHandle(kind):
        if kind == 'tcp':
            handle = pysocket.socket(pysocket.AF_INET, pysocket.SOCK_STREAM)
            handle.bind(('0.0.0.0', 0))
        else:
            handle = pysocket.socket(pysocket.AF_UNIX, pysocket.SOCK_STREAM)
            handle.bind(randomPipePath())
        assert handle.fileno() != -1
        return handle

    # listen(tcp)
    server, handle = net.createServer(), randomHandle('tcp')
    server.listen(handle).on('listening', closeServer(server, handle))
    # listen(tcp, cb)
    server, handle = net.createServer(), randomHandle('tcp')
    server.listen(handle, closeServer(server, handle))

    def randomPipes(number):
        return [randomHandle('pipe') for _ in range(number)]

    handles = randomPipes(2)  # the pipes first
    # listen(pipe)
    server = net.createServer()
    server.listen(handles[0]).on('listening', closePipeServer(server, handles[0]))
    # listen(pipe, cb)
    server = net.createServer()
    server.listen(handles[1], closePipeServer(server, handles[1]))

    # listen({handle: tcp}, cb)
    server, handle = net.createServer(), randomHandle('tcp')
    server.listen({'handle': handle}, closeServer(server, handle))
    # listen({handle: tcp})
    server, handle = net.createServer(), randomHandle('tcp')
    server.listen({'handle': handle}).on('listening', closeServer(server, handle))
    # listen({_handle: tcp}, cb)
    server, handle = net.createServer(), randomHandle('tcp')
    server.listen({'_handle': handle}, closeServer(server, handle))
    # listen({_handle: tcp})
    server, handle = net.createServer(), randomHandle('tcp')
    server.listen({'_handle': handle}).on('listening', closeServer(server, handle))

    # listen({fd: tcp.fd}, cb)
    server, handle = net.createServer(), randomHandle('tcp')
    server.listen({'fd': handle.detach()}, closeServer(server, handle))
    # listen({fd: tcp.fd})
    server, handle = net.createServer(), randomHandle('tcp')
    server.listen({'fd': handle.detach()}).on('listening', closeServer(server, handle))

    handles = randomPipes(6)  # the pipes first
    # listen({handle: pipe}, cb)
    server = net.createServer()
    server.listen({'handle': handles[0]}, closePipeServer(server, handles[0]))
    # listen({handle: pipe})
    server = net.createServer()
    server.listen({'handle': handles[1]}).on('listening', closePipeServer(server, handles[1]))
    # listen({_handle: pipe}, cb)
    server = net.createServer()
    server.listen({'_handle': handles[2]}, closePipeServer(server, handles[2]))
    # listen({_handle: pipe})
    server = net.createServer()
    server.listen({'_handle': handles[3]}).on('listening', closePipeServer(server, handles[3]))
    # listen({fd: pipe.fd}, cb)
    server = net.createServer()
    server.listen({'fd': handles[4].detach()}, closePipeServer(server, handles[4]))
    # listen({fd: pipe.fd})
    server = net.createServer()
    server.listen({'fd': handles[5].detach()}).on('listening',
                                                  closePipeServer(server, handles[5]))

    common.run()


def test_net_server_listen_handle_invalid_fd(common):
    fd = os.open(__file__, os.O_RDONLY)
    server = net.createServer()

    def on_error(err):
        assert '%s: %s' % (node_name(err), err) == 'Error: listen EINVAL: invalid argument'
        server.close()
    server.listen({'fd': fd}, common.mustNotCall()).on('error', common.mustCall(on_error))

    try:
        common.run()
    finally:
        os.close(fd)  # Node's process exits with it open
