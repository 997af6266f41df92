"""test-net-server-listen-path.js: a server listens on a Unix socket path
given as listen(path) or listen({path}), with a callback or a 'listening'
listener; readableAll/writableAll make the socket file readable and writable
by others; listening on a path in use fails with EADDRINUSE."""

import os
import re
import stat

import gnet as net


def test_net_server_listen_path(common):
    common.refresh_tmpdir()
    counter = [0]

    def closeServer(server):
        return common.mustCall(lambda: server.close())

    def randomPipePath():
        path = '%s-listen-path-%d' % (common.PIPE, counter[0])
        counter[0] += 1
        return path

    handlePath = randomPipePath()
    server = net.createServer()
    server.listen(handlePath).on('listening', closeServer(server))

    handlePath = randomPipePath()
    server = net.createServer()
    server.listen({'path': handlePath}).on('listening', closeServer(server))

    handlePath = randomPipePath()
    server = net.createServer()
    server.listen(handlePath, closeServer(server))

    handlePath = randomPipePath()
    server = net.createServer()
    server.listen({'path': handlePath}, closeServer(server))

    all_path = randomPipePath()
    all_server = net.createServer()

    def on_all_listening():
        mode = os.stat(all_path).st_mode
        assert mode & stat.S_IROTH != 0
        assert mode & stat.S_IWOTH != 0
        all_server.close()
    all_server.listen({
        'path': all_path,
        'readableAll': True,
        'writableAll': True,
    }, common.mustCall(on_all_listening))

    used_path = randomPipePath()

    def on_server1_listening():
        # the path is in use: listening there again fails with EADDRINUSE
        server2 = net.createServer().listen({
            'path': used_path,
            'writableAll': True,
        }, common.mustNotCall())

        def on_error(err):
            server1.close()
            assert err.code == 'EADDRINUSE'
            assert re.match(r'^listen EADDRINUSE: address already in use', err.message)
        server2.on('error', common.mustCall(on_error))
    server1 = net.createServer().listen({'path': used_path}, on_server1_listening)

    common.run()
