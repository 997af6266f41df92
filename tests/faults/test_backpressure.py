"""Slow reader, fast writer: backpressure keeps memory flat.

Guarantee (docs/reliability.md, "Backpressure"): a writer that honours
``write()``'s return value and ``'drain'`` moves any amount of data to a
slower reader while the process's memory stays within the high-water marks
plus read buffers (the kernel's socket buffers are not in RSS).  64 MiB in
CI, 256 MiB with GNET_LONG=1, over TCP and a Unix socket.

Each scenario runs in a subprocess (``flood_process.py``) so that RSS
measures the scenario, not the test runner.  A negative control -- the same
writer ignoring ``write()``'s return value -- proves the measurement would
catch data piling up.
"""

import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
#: allowed growth of peak RSS over the baseline, MiB: write HWM (64 KiB) +
#: read buffers (up to 256 KiB) + allocator slack; measured about 0.3 MiB
RSS_BOUND_MIB = 8


def run_flood(transport, mib, mode, timeout=120):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get('PYTHONPATH')])))
    proc = subprocess.run([sys.executable, os.path.join(HERE, 'flood_process.py'), transport,
                           str(mib), mode], capture_output=True, text=True, timeout=timeout,
                          env=env)
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert figures['sent'] == figures['received'] == mib << 20
    assert figures['crc_ok'], 'bytes were lost, duplicated or reordered'
    return figures


def growth_mib(figures):
    return (figures['peak_kib'] - figures['baseline_kib']) / 1024.0


@pytest.mark.timeout(60)
@pytest.mark.parametrize('transport', ['tcp4', 'ipc'])
def test_honouring_writer_moves_64_mib_in_flat_memory(transport):
    figures = run_flood(transport, 64, 'honour')
    assert figures['max_queued'] <= figures['hwm'] + 65536
    assert growth_mib(figures) <= RSS_BOUND_MIB, figures


@pytest.mark.long
@pytest.mark.timeout(300)
@pytest.mark.parametrize('transport', ['tcp4', 'ipc'])
def test_honouring_writer_moves_256_mib_in_flat_memory(transport):
    figures = run_flood(transport, 256, 'honour', timeout=280)
    assert figures['max_queued'] <= figures['hwm'] + 65536
    assert growth_mib(figures) <= RSS_BOUND_MIB, figures


@pytest.mark.timeout(60)
def test_control_a_writer_ignoring_backpressure_is_measured():
    """The same measurement sees the queue when the writer ignores write()'s result."""
    figures = run_flood('tcp4', 32, 'ignore')
    assert growth_mib(figures) > 16, figures
