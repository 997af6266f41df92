"""gnet.Duplex, Transform, PassThrough, and the in-memory pair (gnet.testing).

Every Duplex/Transform expected order was produced by the same scenario
under node 20.  Ports the behaviours of: test-stream-duplex.js,
test-stream-duplex-destroy.js, test-stream-duplex-end.js,
test-stream-duplex-props.js, test-stream-duplex-readable-end.js,
test-stream-duplex-writable-finished.js, test-stream-end-of-streams.js,
test-stream-transform-callback-twice.js, test-stream-transform-destroy.js,
test-stream-transform-final.js, test-stream-transform-flush-data.js,
test-stream-transform-hwm0.js, test-stream2-transform.js (passthrough,
backpressure), test-stream-passthrough-drain.js, test-stream-duplexpair.js
(the memory pair, with the semantics documented in gnet.testing.memory).
"""

import pytest
from zope.interface.verify import verifyObject

from gnet import errors, interfaces
from gnet.streams.duplex import Duplex, PassThrough, Transform
from gnet.testing import MemoryDuplex, memory_pair

from stream_helpers import expect, later, record, settle, text, wait_until

pytestmark = pytest.mark.timeout(10)


def nop(self, size):
    return None


def test_interfaces():
    d = Duplex(read=nop, write=lambda self, c, e, cb: cb())
    assert verifyObject(interfaces.IDuplex, d)
    assert verifyObject(interfaces.IDuplex, PassThrough())
    a, b = memory_pair()
    assert isinstance(a, MemoryDuplex)
    assert verifyObject(interfaces.IDuplex, a) and verifyObject(interfaces.IDuplex, b)
    assert interfaces.IReadable.providedBy(a) and interfaces.IWritable.providedBy(b)
    assert d.allowHalfOpen is True and d.writableLength == 0 and d.readableFlowing is None


def test_allow_half_open_false_ends_writable_side():
    log = []

    def _write(self, chunk, encoding, callback):
        log.append('write:' + text(chunk))
        callback()

    def _final(self, callback):
        log.append('final')
        callback()
    d = Duplex(allow_half_open=False, read=nop, write=_write, final=_final)
    record(d, log, 'end', 'finish', 'close', 'prefinish')
    d.on('data', lambda x: log.append('data:' + text(x)))
    d.push('a')
    d.push(None)
    expect(log, ['data:a', 'end', 'final', 'prefinish', 'finish', 'close'])
    assert not d.writable and d.destroyed


def test_allow_half_open_true_stays_writable():
    log = []
    d = Duplex(read=nop, write=lambda self, c, e, cb: (log.append('write:' + text(c)), cb()))
    record(d, log, 'end', 'finish', 'close')
    d.on('data', lambda x: log.append('data:' + text(x)))
    d.push('a')
    d.push(None)
    later(lambda: (log.append('writable:%s' % d.writable), d.end('z')), 5)
    expect(log, ['data:a', 'end', 'writable:True', 'write:z', 'finish', 'close'])


def test_destroy_is_idempotent_error_then_close():
    log = []
    d = Duplex(read=nop, write=lambda self, c, e, cb: log.append('write:' + text(c)))
    record(d, log, 'end', 'finish', 'close')
    d.on('error', lambda e: log.append('error:%s' % e))
    d.write('a', lambda e: log.append('cb1:%s' % e))
    d.write('b', lambda e: log.append('cb2:%s' % e))
    d.destroy(Exception('x'), lambda e: log.append('destroycb:%s' % e))
    d.destroy(Exception('y'))
    log.append('destroyed:%s errored:%s' % (d.destroyed, d.errored))
    # the in-flight write never called back, so its queue is never flushed (as in node)
    expect(log, ['write:a', 'destroycb:x', 'destroyed:True errored:x', 'error:x', 'close'])
    assert d.closed


def test_errored_and_closed_properties():
    log = []
    d = Duplex(read=nop, write=lambda self, c, e, cb: cb())
    d.on('error', lambda e: log.append('error:%s' % e))
    record(d, log, 'close')
    d.destroy(Exception('e1'))
    log.append('errored:%s closed:%s' % (d.errored, d.closed))
    expect(log, ['errored:e1 closed:True', 'error:e1', 'close'])


def test_writable_false_and_readable_false():
    log = []
    d = Duplex(writable=False, read=nop)
    log.append('w:%s r:%s wf:%s we:%s' % (d.writable, d.readable, d.writable_finished, d.writable_ended))
    record(d, log, 'end', 'finish', 'close')
    d.on('data', lambda x: log.append('data:' + text(x)))
    d.push('a')
    d.push(None)
    expect(log, ['w:False r:True wf:True we:True', 'data:a', 'end', 'close'])
    log = []
    d = Duplex(readable=False, write=lambda self, c, e, cb: (log.append('write:' + text(c)), cb()))
    log.append('w:%s r:%s re:%s' % (d.writable, d.readable, d.readable_ended))
    record(d, log, 'end', 'finish', 'close')
    d.end('x')
    expect(log, ['w:True r:False re:True', 'write:x', 'finish', 'close'])


def test_d3_order_both_sides_done():
    log = []
    d = Duplex(read=nop, write=lambda self, c, e, cb: cb())
    record(d, log, 'end', 'finish', 'close')
    d.on('data', lambda x: None)
    d.end('x')
    d.push(None)
    expect(log, ['finish', 'end', 'close'])


def test_destroy_after_end():
    log = []
    d = Duplex(read=nop, write=lambda self, c, e, cb: cb())
    record(d, log, 'end', 'finish', 'close')
    d.on('data', lambda x: None)
    d.push(None)
    later(lambda: (log.append('destroying'), d.destroy(), log.append('destroyed:%s' % d.destroyed)), 5)
    expect(log, ['end', 'destroying', 'destroyed:True', 'close'])


def test_transform_and_flush():
    log = []

    def _flush(self, callback):
        log.append('flush')
        callback(None, '!')
    t = Transform(transform=lambda self, c, e, cb: cb(None, text(c).upper()), flush=_flush)
    t.on('data', lambda x: log.append('data:' + text(x)))
    record(t, log, 'end', 'finish', 'close', 'prefinish')
    t.write('ab')
    t.end('cd')
    expect(log, ['data:AB', 'data:CD', 'flush', 'data:!', 'prefinish', 'end', 'finish', 'close'])


def test_transform_error():
    log = []
    t = Transform(transform=lambda self, c, e, cb: cb(Exception('tfail')))
    t.on('error', lambda e: log.append('error:%s' % e))
    record(t, log, 'close')
    t.write('a', lambda e: log.append('cb:%s' % e))
    expect(log, ['cb:tfail', 'error:tfail', 'close'])


def test_transform_subclass_and_hwm0():
    class Upper(Transform):
        def _transform(self, chunk, encoding, callback):
            self.push(chunk.upper())
            callback()
    t = Upper(high_water_mark=0)
    assert (t.readable_high_water_mark, t.writable_high_water_mark) == (0, 0)
    got = []
    t.on('data', got.append)
    t.end(b'abc')
    settle()
    assert got == [b'ABC']


def test_passthrough_backpressure():
    log = []
    p = PassThrough(high_water_mark=4)
    for _ in range(4):
        log.append(p.write('ab'))
    log.append('rl:%d wl:%d' % (p.readable_length, p.writable_length))
    record(p, log, 'drain')
    later(lambda: p.on('data', lambda d: log.append('data:' + text(d))), 5)
    expect(log, [True, True, False, False, 'rl:4 wl:6', 'data:ab', 'data:ab', 'drain', 'data:ab', 'data:ab'])


def test_missing_hooks():
    d = Duplex()
    with pytest.raises(errors.ERR_METHOD_NOT_IMPLEMENTED):
        d.write(b'x')
    t = Transform()
    with pytest.raises(errors.ERR_METHOD_NOT_IMPLEMENTED):
        t.write(b'x')


# -- the in-memory pair ------------------------------------------------------------------
def test_memory_pair_moves_bytes_asynchronously_in_order():
    a, b = memory_pair()
    got = []
    b.on('data', got.append)
    a.write(b'one')
    a.write('two')
    a.write(bytearray(b'three'))
    assert got == []  # never delivered inside write()
    wait_until(lambda: b''.join(got) == b'onetwothree')


def test_memory_pair_half_close():
    log = []
    a, b = memory_pair()
    record(a, log, 'end', 'finish', 'close', prefix='a:')
    record(b, log, 'end', 'finish', 'close', prefix='b:')
    a.on('data', lambda d: log.append('a:data:' + text(d)))
    b.on('data', lambda d: log.append('b:data:' + text(d)))
    a.end(b'bye')
    wait_until(lambda: 'b:end' in log)
    assert b.writable and not a.destroyed
    b.write(b'reply')
    b.end()
    wait_until(lambda: 'a:close' in log and 'b:close' in log)
    assert log.index('b:data:bye') < log.index('b:end') < log.index('b:close')
    assert log.index('a:data:reply') < log.index('a:end') < log.index('a:close')
    assert log.count('a:close') == 1 and log.count('b:close') == 1


def test_memory_pair_allow_half_open_false():
    log = []
    a, b = memory_pair(allow_half_open=False)
    record(a, log, 'end', 'finish', 'close', prefix='a:')
    record(b, log, 'end', 'finish', 'close', prefix='b:')
    a.resume()
    b.resume()
    a.end()
    wait_until(lambda: 'a:close' in log and 'b:close' in log)
    assert set(log) == {'a:finish', 'a:end', 'a:close', 'b:finish', 'b:end', 'b:close'}


def test_memory_pair_destroy_without_end_resets_peer():
    log = []
    a, b = memory_pair()
    b.on('error', lambda e: log.append('b:error:%s:%s' % (e.code, e.syscall)))
    record(b, log, 'end', 'close', prefix='b:')
    record(a, log, 'close', prefix='a:')
    b.resume()
    a.destroy()
    wait_until(lambda: 'b:close' in log)
    assert log == ['a:close', 'b:error:ECONNRESET:read', 'b:close']


def test_memory_pair_destroy_after_end_is_graceful_and_writes_get_epipe():
    log = []
    a, b = memory_pair()
    b.on('data', lambda d: log.append('b:data:' + text(d)))
    b.on('error', lambda e: log.append('b:error:%s' % e.code))
    record(b, log, 'end', 'close', prefix='b:')
    a.end(b'last')
    a.destroy()
    wait_until(lambda: 'b:end' in log)
    assert log[:2] == ['b:data:last', 'b:end']
    b.write(b'too late', lambda e: log.append('b:cb:%s' % (e and e.code)))
    wait_until(lambda: 'b:close' in log)
    assert log[2:] == ['b:cb:EPIPE', 'b:error:EPIPE', 'b:close']


def test_memory_pair_backpressure_from_a_paused_reader():
    a, b = memory_pair(capacity=8, high_water_mark=16)
    b.pause()
    results = []
    for _ in range(10):
        results.append(a.write(b'x' * 8))
    settle()
    assert False in results
    assert b.readable_length == 16       # the reader's buffer holds its mark
    assert a.writable_length > 0          # the rest waits on the writer
    drained = []
    a.on('drain', lambda: drained.append(True))
    got = []
    b.on('data', got.append)
    b.resume()
    wait_until(lambda: drained and len(b''.join(got)) == 80)


def test_memory_pair_lockstep():
    a, b = memory_pair(capacity=0, high_water_mark=4)
    done = []
    b.pause()
    a.write(b'abcd', lambda e: done.append(1))
    a.write(b'efgh', lambda e: done.append(2))
    settle()
    # b accepted 'abcd' but is at its mark: the write does not complete
    assert done == [] and b.readable_length == 4
    assert b.read() == b'abcd'
    settle()
    assert done == [1]
    got = []
    b.on('data', got.append)
    b.resume()  # pause() was explicit: a 'data' listener alone does not resume
    wait_until(lambda: done == [1, 2])
    assert b''.join(got) == b'efgh'


def test_memory_pair_read_hook_and_writev():
    a, b = memory_pair(capacity=0)
    a.cork()
    a.write(b'1')
    a.write(b'2')
    a.write(b'3')
    a.uncork()
    assert a.writable_length == 3  # one _writev in flight with all three
    got = []
    b.on('data', got.append)
    wait_until(lambda: a.writable_length == 0)
    assert b''.join(got) == b'123'


def test_memory_pair_destroy_with_pending_write():
    log = []
    a, b = memory_pair(capacity=0, high_water_mark=4)
    b.on('error', lambda e: None)
    b.pause()
    a.write(b'x' * 100, lambda e: log.append('cb1:%s' % (e and e.code)))
    a.write(b'y', lambda e: log.append('cb2:%s' % (e and e.code)))
    settle()
    a.destroy()
    record(a, log, 'close')
    wait_until(lambda: 'close' in log)
    settle()
    # node 20 (net.Socket): the write in flight completes, queued ones get
    # ERR_STREAM_DESTROYED, then 'close'
    assert log == ['cb1:None', 'cb2:ERR_STREAM_DESTROYED', 'close']


def test_memory_pair_options():
    a, b = memory_pair(high_water_mark=5, allow_half_open=False)
    assert a.writable_high_water_mark == 5 and b.readable_high_water_mark == 5
    assert a.allow_half_open is False
