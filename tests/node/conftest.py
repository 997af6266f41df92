"""Node's own net tests, ported (docs/node-tests.md): the ``common`` fixture.

Each ``test_*.py`` here is the translation of the Node 20 file of the same
name (``test-net-reconnect.js`` -> ``test_net_reconnect.py``).  A test takes
``common`` (:class:`node_common.Common`), sets up its scenario and ends with
``common.run()``; the must-call checks run then, or at teardown if the test
never reached ``run()``.

A Node test ends its process, and everything it left with it: an unref'd
timer that never fired, a socket of a failed test, the cluster settings.  Here the next test shares
the loop, so at teardown the timers and immediates a test left are cancelled
and whatever still holds the loop is destroyed, as the process exit would.
"""

import pytest

import gnet
from gnet import cluster
from gnet.runtime.loop import get_loop
from .node_common import Common


def _release_leftovers():
    loop = get_loop()
    reaper = loop.__dict__.get('_conn_reaper')  # gnet's own: it retires idle greenlets
    for _, _, timer in list(loop._heap):
        if reaper is None or timer is not reaper.timer:
            timer.close()
    for immediate in list(loop._immediates):
        immediate.close()
    for handle in list(loop._handles):
        if isinstance(handle, gnet.Server):
            handle.close()
            for conn in list(handle._connections):
                conn.destroy()
        elif hasattr(handle, 'destroy'):
            handle.destroy()
        loop.unref_handle(handle)


@pytest.fixture
def common():
    helper = Common()
    cluster_settings = dict(cluster.settings)  # a process-wide setting in Node too
    try:
        yield helper
        helper.finish()
    finally:
        helper.cleanup()
        _release_leftovers()
        cluster.settings.clear()
        cluster.settings.update(cluster_settings)
