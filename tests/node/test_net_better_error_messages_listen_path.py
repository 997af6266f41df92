"""test-net-better-error-messages-listen-path.js: listening on a Unix socket
path in a directory that does not exist emits an 'error' whose ``address``
is that path.

Node's path is ``/blah/fadfa``; the port uses a missing directory under
``common.tmpdir`` instead, so that the test never touches the root of the
file system.
"""

import os

import gnet as net


def test_net_better_error_messages_listen_path(common):
    fp = os.path.join(common.tmpdir, 'blah', 'fadfa')
    server = net.createServer(common.mustNotCall())
    server.listen(fp, common.mustNotCall())

    def on_error(e):
        assert e.address == fp
    server.on('error', common.mustCall(on_error))
    common.run()
