"""test-net-better-error-messages-path.js: connecting to a Unix socket path
that does not exist emits ENOENT with the message ``connect ENOENT <path>``;
a path that is not a string raises ERR_INVALID_ARG_TYPE.

Node's path is ``/tmp/fadagagsdfgsdf``; the port uses a missing file in
``common.tmpdir``.
"""

import os

import gnet as net


def test_missing_path(common):
    fp = os.path.join(common.tmpdir, 'fadagagsdfgsdf')
    c = net.connect(fp)

    c.on('connect', common.mustNotCall())
    c.on('error', common.expectsError(code='ENOENT', message='connect ENOENT %s' % fp))
    common.run()


def test_path_not_a_string(common):
    common.throws(lambda: net.createConnection({'path': {}}), code='ERR_INVALID_ARG_TYPE')
