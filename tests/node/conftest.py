"""Node's own net tests, ported (docs/node-tests.md): the ``common`` fixture.

Each ``test_*.py`` here is the translation of the Node 20 file of the same
name (``test-net-reconnect.js`` -> ``test_net_reconnect.py``).  A test takes
``common`` (:class:`node_common.Common`), sets up its scenario and ends with
``common.run()``; the must-call checks run then, or at teardown if the test
never reached ``run()``.
"""

import pytest

from node_common import Common


@pytest.fixture
def common():
    helper = Common()
    try:
        yield helper
        helper.finish()
    finally:
        helper.cleanup()
