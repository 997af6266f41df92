"""Truth tables of the write side over the memory pair (W2, W3, W5, D2).

Rows: high-water mark (0, 1, default) x completion (synchronous: the pair
has room and ``_write`` calls back inside ``write()``; asynchronous:
``capacity=0``, the write completes once the peer took it) x the state of
the writer when ``write(b'x', cb)`` is called (open, corked, ending,
destroyed).  Columns: what ``write`` returned, ``writable_length`` and
``writable_need_drain`` right after it, how many ``'drain'`` events followed,
what the callback received, which ``'error'`` the writer emitted, and how
many ``'finish'`` events a final ``end()`` produced.

The expected values are node 20's: the same table printed by a node
``stream.Writable`` whose ``_write`` calls back synchronously or from
``setImmediate`` (``writeOrBuffer``: ``ret = length < hwm || length === 0``;
a synchronous completion empties the queue before ``write`` returns;
``writableNeedDrain`` is masked once ending or destroyed; a write after
``end()`` errors the stream, one after ``destroy()`` does not).
"""

import pytest

from gnet.testing import DEFAULT_CAPACITY, memory_pair

from stream_helpers import settle, wait_until

pytestmark = pytest.mark.timeout(10)

HWMS = {'hwm0': 0, 'hwm1': 1, 'default': None}

#: (mode, completion) -> hwm name -> (ret, length, need_drain, drains, cb, error, finishes)
TABLE = {
    ('open', 'sync'): {
        'hwm0': (True, 0, False, 0, None, None, 1),
        'hwm1': (True, 0, False, 0, None, None, 1),
        'default': (True, 0, False, 0, None, None, 1),
    },
    ('open', 'async'): {
        'hwm0': (False, 1, True, 1, None, None, 1),
        'hwm1': (False, 1, True, 1, None, None, 1),
        'default': (True, 1, False, 0, None, None, 1),
    },
    ('corked', 'sync'): {
        'hwm0': (False, 1, True, 1, None, None, 1),
        'hwm1': (False, 1, True, 1, None, None, 1),
        'default': (True, 1, False, 0, None, None, 1),
    },
    ('corked', 'async'): {
        'hwm0': (False, 1, True, 1, None, None, 1),
        'hwm1': (False, 1, True, 1, None, None, 1),
        'default': (True, 1, False, 0, None, None, 1),
    },
    ('ending', 'sync'): {
        name: (False, 0, False, 0, 'ERR_STREAM_WRITE_AFTER_END', 'ERR_STREAM_WRITE_AFTER_END', 0)
        for name in HWMS
    },
    ('ending', 'async'): {
        name: (False, 0, False, 0, 'ERR_STREAM_WRITE_AFTER_END', 'ERR_STREAM_WRITE_AFTER_END', 0)
        for name in HWMS
    },
    ('destroyed', 'sync'): {
        name: (False, 0, False, 0, 'ERR_STREAM_DESTROYED', None, 0) for name in HWMS
    },
    ('destroyed', 'async'): {
        name: (False, 0, False, 0, 'ERR_STREAM_DESTROYED', None, 0) for name in HWMS
    },
}

ROWS = [(mode, completion, hwm) for (mode, completion) in TABLE for hwm in HWMS]


@pytest.mark.parametrize('mode,completion,hwm', ROWS, ids=['-'.join(row) for row in ROWS])
def test_write_truth_table(mode, completion, hwm):
    capacity = DEFAULT_CAPACITY if completion == 'sync' else 0
    a, b = memory_pair(capacity=capacity, high_water_mark=HWMS[hwm])
    b.on('error', lambda err: None)
    b.resume()  # the peer consumes
    drains, calls, errs, finishes = [], [], [], []
    a.on('drain', lambda: drains.append(True))
    a.on('error', lambda err: errs.append(err.code))
    a.on('finish', lambda: finishes.append(True))
    if mode == 'corked':
        a.cork()
    elif mode == 'ending':
        a.end()
    elif mode == 'destroyed':
        a.destroy()
    ret = a.write(b'x', lambda err: calls.append(getattr(err, 'code', err)))
    row = [ret, a.writable_length, a.writable_need_drain]
    if mode == 'corked':
        a.uncork()
    wait_until(lambda: calls)
    settle()
    if mode in ('open', 'corked'):
        a.end()
        wait_until(lambda: finishes)
        settle()
    row += [len(drains), calls[0], errs[0] if errs else None, len(finishes)]
    assert tuple(row) == TABLE[(mode, completion)][hwm]
    assert len(calls) == 1 and len(errs) <= 1
    a.destroy()
    b.destroy()


@pytest.mark.parametrize('hwm', sorted(HWMS))
@pytest.mark.parametrize('completion', ['sync', 'async'])
def test_read_side_truth_table(hwm, completion):
    """R1/R2 per mark: paused, the reader holds at most one chunk past its mark."""
    capacity = DEFAULT_CAPACITY if completion == 'sync' else 0
    a, b = memory_pair(capacity=capacity, high_water_mark=HWMS[hwm])
    mark = b.readable_high_water_mark
    b.pause()
    data = []
    b.on('data', data.append)
    for _ in range(8):
        a.write(b'y' * 4)
    settle()
    assert data == [] and b.readable_flowing is False
    assert 0 < b.readable_length <= max(mark, 0) + 4  # one chunk may cross the mark
    b.resume()
    wait_until(lambda: sum(len(chunk) for chunk in data) == 32)
    a.destroy()
    b.destroy()
