"""The suite's core passes with gevent.monkey.patch_all() applied first."""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)

SCRIPT = '''
from gevent import monkey
monkey.patch_all()
import sys, pytest
sys.exit(pytest.main(sys.argv[1:]))
'''


@pytest.mark.no_leak_check
@pytest.mark.timeout(300)
def test_suite_passes_monkey_patched():
    targets = [os.path.join(TESTS, 'unit', 'test_loop.py'),
               os.path.join(TESTS, 'unit', 'test_events.py'),
               os.path.join(TESTS, 'conformance'),
               os.path.join(TESTS, 'integration', 'test_socket_io.py'),
               os.path.join(TESTS, 'integration', 'test_socket_connect.py')]
    proc = subprocess.run([sys.executable, '-c', SCRIPT, '-q', '-p', 'no:cacheprovider',
                           '-x'] + targets, cwd=os.path.dirname(TESTS),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=280)
    out = proc.stdout.decode(errors='replace')
    assert proc.returncode == 0, out[-4000:]
    assert ' passed' in out
