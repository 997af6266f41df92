"""Fault tests: the ``long`` marker and the GNET_LONG switch.

Every fault test has a bounded variant that always runs; the variants marked
``long`` (full-size soak, churn and flood figures) run only with
``GNET_LONG=1`` in the environment.
"""

import os

import pytest

from faults_support import LONG


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'long: full-size reliability variant; runs only with GNET_LONG=1')


def pytest_collection_modifyitems(config, items):
    if LONG:
        return
    skip = pytest.mark.skip(reason='full-size variant: set GNET_LONG=1 to run it')
    for item in items:
        if item.get_closest_marker('long'):
            item.add_marker(skip)


import sys as _sys  # noqa: E402
_sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                 'conformance'))  # transports.py: the socket pair factories
_sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                 'integration'))  # proc_helpers.py: gnet commands as subprocesses
