"""test-net-pipe-connect-errors.js: connecting to a Unix socket path that is a
regular file fails with ENOTSOCK or ECONNREFUSED, to a path that does not
exist with ENOENT, and (when not running as root) to a socket file with mode 0
with EACCES; no connect callback runs."""

import os

import gnet as net


def test_net_pipe_connect_errors(common):
    common.refresh_tmpdir()
    # a short name: a path over sun_path's limit would fail with another error
    emptyTxt = os.path.join(common.tmpdir, '0.txt')
    with open(emptyTxt, 'w'):
        pass

    def not_socket_connected():
        raise AssertionError('connection callback should not run')
    notSocketClient = net.createConnection(emptyTxt, not_socket_connected)

    def on_not_socket_error(err):
        assert err.code in ('ENOTSOCK', 'ECONNREFUSED'), \
            'received %s instead of ENOTSOCK or ECONNREFUSED' % err.code
    notSocketClient.on('error', common.mustCall(on_not_socket_error))

    def no_ent_connected():
        raise AssertionError('connection to non-existent socket, callback should not run')
    noEntSocketClient = net.createConnection('no-ent-file', no_ent_connected)

    def on_no_ent_error(err):
        assert err.code == 'ENOENT'
    noEntSocketClient.on('error', common.mustCall(on_no_ent_error))

    if os.getuid() != 0:
        # a socket one has no access to: EACCES
        accessServer = net.createServer(common.mustNotCall('server callback should not run'))

        def on_listening():
            os.chmod(common.PIPE, 0)

            def access_connected():
                raise AssertionError('connection should get EACCES, callback should not run')
            accessClient = net.createConnection(common.PIPE, access_connected)

            def on_access_error(err):
                assert err.code == 'EACCES'
                accessServer.close()
            accessClient.on('error', common.mustCall(on_access_error))
        accessServer.listen(common.PIPE, common.mustCall(on_listening))

    common.run()
