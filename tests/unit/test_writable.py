"""gnet.Writable: Node's writable state machine.

Every expected event order below was produced by running the same scenario
with node 20 (``stream.Writable``).  Ports the behaviours of:
test-stream-writable-drain.js, test-stream2-writable.js,
test-stream-writable-write-cb-twice.js, test-stream-writable-end-cb-error.js,
test-stream-writable-end-multiple.js, test-stream-writable-write-after-end.js
(test-stream2-base64-single-char-read-end.js style write-after-end),
test-stream-writable-destroy.js, test-stream-writable-write-error.js,
test-stream-writable-finished.js, test-stream-writable-final-async.js,
test-stream-writable-final-throw.js, test-stream-writable-constructor-set-methods.js,
test-stream-writable-decoded-encoding.js, test-stream-writable-change-default-encoding.js,
test-stream-writable-null.js, test-stream-writable-invalid-chunk.js,
test-stream2-writev.js, test-stream-writev.js, test-stream-writable-uncork.js
(cork/uncork), test-stream-writable-needdrain-state.js,
test-stream-writable-construct.js (test-stream-construct.js).
"""

import pytest
from zope.interface.verify import verifyObject

from gnet import errors, interfaces
from gnet.runtime import loop
from gnet.streams.writable import Writable

from stream_helpers import code, expect, later, record, settle, text

pytestmark = pytest.mark.timeout(10)


def sink(log=None, asynchronous=False, **opts):
    def _write(self, chunk, encoding, callback):
        if log is not None:
            log.append('write:' + text(chunk))
        if asynchronous:
            loop.set_immediate(callback)
        else:
            callback()
    return Writable(write=_write, **opts)


def test_interface():
    w = sink()
    assert verifyObject(interfaces.IWritable, w)
    assert w.writableLength == 0 and w.writableHighWaterMark == 16384  # camelCase aliases; Node 20
    assert w.setDefaultEncoding is not None and w.writableNeedDrain is False


def test_async_write_drain_finish_order():
    log = []
    w = sink(log, asynchronous=True, high_water_mark=3)
    record(w, log, 'drain', 'finish', 'close', 'prefinish')
    log.append('r1:%s' % w.write('ab', lambda e: log.append('cb1')))
    log.append('r2:%s' % w.write('cd', lambda e: log.append('cb2')))
    log.append('r3:%s' % w.write('e', lambda e: log.append('cb3')))
    w.end(lambda e: log.append('endcb'))
    log.append('sync-done')
    # node 20: no 'drain' once end() was called
    expect(log, ['write:ab', 'r1:True', 'r2:False', 'r3:False', 'sync-done', 'write:cd', 'cb1',
                 'write:e', 'cb2', 'cb3', 'prefinish', 'endcb', 'finish', 'close'])


def test_sync_write_callbacks_are_deferred():
    log = []
    w = sink(log, high_water_mark=3)
    record(w, log, 'drain', 'finish', 'close', 'prefinish')
    log.append('r1:%s' % w.write('abcd', lambda e: log.append('cb1')))
    log.append('r2:%s' % w.write('e', lambda e: log.append('cb2')))
    loop.next_tick(lambda: log.append('tick'))
    w.end('f', lambda e: log.append('endcb'))
    log.append('sync-done')
    expect(log, ['write:abcd', 'r1:True', 'write:e', 'r2:True', 'write:f', 'prefinish', 'sync-done',
                 'cb1', 'cb2', 'tick', 'endcb', 'finish', 'close'])


def test_drain_after_false():
    log = []
    w = sink(log, asynchronous=True, high_water_mark=4)
    record(w, log, 'drain')
    log.append(w.write(b'12'))
    log.append(w.write(b'34'))
    log.append(w.writable_need_drain)
    expect(log, ['write:12', True, False, True, 'write:34', 'drain'])
    assert w.writable_need_drain is False and w.writable_length == 0


def test_high_water_mark_zero():
    log = []
    w = sink(asynchronous=True, high_water_mark=0)
    record(w, log, 'drain')
    log.append('ret:%s need:%s' % (w.write('a'), w.writable_need_drain))
    log.append('ret0:%s' % w.write(''))
    expect(log, ['ret:False need:True', 'ret0:False', 'drain'])


def test_write_after_end():
    log = []
    w = sink()
    record(w, log, 'finish', 'close')
    w.on('error', lambda e: log.append('error:' + e.code))
    w.end()
    w.write('x', lambda e: log.append('cb:%s' % code(e)))
    log.append('sync-done')
    expect(log, ['sync-done', 'cb:ERR_STREAM_WRITE_AFTER_END', 'error:ERR_STREAM_WRITE_AFTER_END', 'close'])


def test_write_after_destroy():
    log = []
    w = sink()
    record(w, log, 'close')
    w.on('error', lambda e: log.append('error:' + e.code))
    w.destroy()
    log.append('ret:%s' % w.write('x', lambda e: log.append('cb:%s' % code(e))))
    expect(log, ['ret:False', 'close', 'cb:ERR_STREAM_DESTROYED'])


def test_destroy_with_error_and_pending_writes():
    log = []

    def _write(self, chunk, encoding, callback):
        log.append('write:' + text(chunk))
        later(callback, 5)
    w = Writable(write=_write)
    record(w, log, 'finish', 'close')
    w.on('error', lambda e: log.append('error:%s' % e))
    w.write('a', lambda e: log.append('cb1:%s' % e))
    w.write('b', lambda e: log.append('cb2:%s' % e))
    w.write('c', lambda e: log.append('cb3:%s' % e))
    w.end(lambda e: log.append('endcb:%s' % e))
    boom = Exception('boom')
    w.destroy(boom)
    w.destroy()  # idempotent
    log.append('sync-done')
    expect(log, ['write:a', 'sync-done', 'error:boom', 'close', 'cb1:None', 'cb2:boom', 'cb3:boom',
                 'endcb:boom'])
    assert w.errored is boom and w.destroyed and w.closed


def test_destroy_without_error_fails_queued_writes():
    log = []

    def _write(self, chunk, encoding, callback):
        log.append('write:' + text(chunk))
        later(callback, 5)
    w = Writable(write=_write)
    record(w, log, 'finish', 'close')
    w.on('error', lambda e: log.append('error:%s' % e))
    w.write('a', lambda e: log.append('cb1:%s' % code(e)))
    w.write('b', lambda e: log.append('cb2:%s' % code(e)))
    w.end(lambda e: log.append('endcb:%s' % code(e)))
    w.destroy()
    log.append('sync-done')
    expect(log, ['write:a', 'sync-done', 'close', 'cb1:None', 'cb2:ERR_STREAM_DESTROYED',
                 'endcb:ERR_STREAM_DESTROYED'])


def test_destroy_callback_and_destroy_hook():
    log = []

    def _destroy(self, err, callback):
        log.append('hook:%s' % err)
        later(callback, 1, err)
    w = Writable(write=lambda self, c, e, cb: cb(), destroy=_destroy)
    record(w, log, 'close')
    w.on('error', lambda e: log.append('error:%s' % e))
    w.destroy(ValueError('v'), lambda e: log.append('cb:%s' % e))
    w.destroy(None, lambda *a: log.append('second-cb'))
    expect(log, ['hook:v', 'second-cb', 'cb:v', 'error:v', 'close'])


def test_writev_gets_corked_chunks_in_one_call():
    log = []
    w = Writable(write=lambda self, c, e, cb: (log.append('write:%s:%s' % (text(c), e)), cb()),
                 writev=lambda self, chunks, cb: (
                     log.append('writev:' + ','.join('%s/%s' % (text(c), e) for c, e in chunks)), cb()),
                 decode_strings=False)
    w.cork()
    w.write('a', lambda e: log.append('cb-a'))
    w.write(b'b', lambda e: log.append('cb-b'))
    w.write('c', 'hex', lambda e: log.append('cb-c'))
    log.append('corked:%d len:%d' % (w.writable_corked, w.writable_length))

    def uncork():
        w.uncork()
        log.append('uncorked')
        w.end()
    loop.next_tick(uncork)
    record(w, log, 'finish')
    expect(log, ['corked:1 len:3', 'writev:a/utf8,b/buffer,c/hex', 'uncorked', 'cb-a', 'cb-b', 'cb-c',
                 'finish'])


def test_writev_batches_what_queued_during_a_write():
    log = []
    w = Writable(write=lambda self, c, e, cb: (log.append('write:' + text(c)), loop.set_immediate(cb)),
                 writev=lambda self, chunks, cb: (
                     log.append('writev:' + ','.join(text(c) for c, e in chunks)), loop.set_immediate(cb)))
    w.write('1', lambda e: log.append('cb1'))
    w.write('2', lambda e: log.append('cb2'))
    w.write('3', lambda e: log.append('cb3'))
    w.end('4', lambda e: log.append('endcb'))
    record(w, log, 'finish')
    expect(log, ['write:1', 'writev:2,3,4', 'cb1', 'cb2', 'cb3', 'endcb', 'finish'])


def test_nested_cork_and_end_uncorks():
    log = []
    w = sink(log)
    w.cork()
    w.cork()
    w.write('a')
    w.uncork()
    assert log == [] and w.writable_corked == 1
    w.end('b')  # end() fully uncorks
    assert w.writable_corked == 0
    assert log == ['write:a', 'write:b']


def test_end_callback_gets_final_error():
    log = []
    w = Writable(write=lambda self, c, e, cb: cb(), final=lambda self, cb: cb(Exception('final fail')))
    w.on('error', lambda e: log.append('error:%s' % e))
    record(w, log, 'finish', 'close')
    w.end(lambda e: log.append('endcb:%s' % e))
    expect(log, ['error:final fail', 'close', 'endcb:final fail'])


def test_final_runs_before_finish_and_may_be_async():
    log = []

    def _final(self, callback):
        log.append('final')
        later(callback, 2)
    w = Writable(write=lambda self, c, e, cb: (log.append('write'), cb()), final=_final)
    record(w, log, 'prefinish', 'finish', 'close')
    w.end('x', lambda e: log.append('endcb:%s' % e))
    assert w.writable_ended and not w.writable_finished
    expect(log, ['write', 'final', 'prefinish', 'endcb:None', 'finish', 'close'])
    assert w.writable_finished


def test_final_that_raises_errors_the_stream():
    log = []

    def _final(self, callback):
        raise RuntimeError('thrown')
    w = Writable(write=lambda self, c, e, cb: cb(), final=_final)
    w.on('error', lambda e: log.append('error:%s' % e))
    record(w, log, 'finish', 'close')
    w.end()
    expect(log, ['error:thrown', 'close'])


def test_end_twice_and_after_finish():
    log = []
    w = sink(auto_destroy=False)
    w.on('error', lambda e: log.append('error:' + e.code))
    w.end(lambda e: log.append('end1:%s' % code(e)))
    w.end(lambda e: log.append('end2:%s' % code(e)))
    w.on('finish', lambda: (log.append('finish'), w.end(lambda e: log.append('end3:%s' % code(e)))))
    expect(log, ['end1:None', 'end2:None', 'finish', 'end3:ERR_STREAM_ALREADY_FINISHED'])


@pytest.mark.parametrize('form', ['end(cb)', 'end(chunk, cb)', 'end(chunk, enc, cb)', 'end(chunk, None, cb)'])
def test_end_forms(form):
    log = []
    w = Writable(write=lambda self, c, e, cb: (log.append(c), cb()))
    cb = lambda err: log.append('cb:%s' % err)  # noqa: E731
    if form == 'end(cb)':
        assert w.end(cb) is w
        expected = ['cb:None']
    elif form == 'end(chunk, cb)':
        w.end('x', cb)
        expected = [b'x', 'cb:None']
    elif form == 'end(chunk, enc, cb)':
        w.end('78', 'hex', cb)
        expected = [b'x', 'cb:None']
    else:
        w.end(b'x', None, cb)
        expected = [b'x', 'cb:None']
    expect(log, expected)


def test_write_callback_may_take_the_encodings_place():
    log = []
    w = sink()
    w.write(b'x', lambda e: log.append('cb:%s' % e))
    expect(log, ['cb:None'])


def test_multiple_callback():
    log = []
    w = Writable(write=lambda self, c, e, cb: (cb(), cb()))
    w.on('error', lambda e: log.append('error:' + e.code))
    record(w, log, 'close')
    w.write('x', lambda e: log.append('cb:%s' % code(e)))
    expect(log, ['cb:None', 'error:ERR_MULTIPLE_CALLBACK', 'close'])


def test_async_write_error():
    log = []
    w = Writable(write=lambda self, c, e, cb: loop.set_immediate(cb, Exception('wfail')))
    w.on('error', lambda e: log.append('error:%s' % e))
    record(w, log, 'close')
    w.write('a', lambda e: log.append('cb1:%s' % e))
    w.write('b', lambda e: log.append('cb2:%s' % e))
    expect(log, ['cb1:wfail', 'cb2:wfail', 'error:wfail', 'close'])


def test_sync_write_error():
    log = []
    w = Writable(write=lambda self, c, e, cb: cb(Exception('sfail')))
    w.on('error', lambda e: log.append('error:%s' % e))
    record(w, log, 'close')
    log.append('ret:%s' % w.write('a', lambda e: log.append('cb1:%s' % e)))
    log.append('sync')
    expect(log, ['ret:False', 'sync', 'cb1:sfail', 'error:sfail', 'close'])


def test_chunk_validation_and_encodings():
    log = []
    w = Writable(write=lambda self, c, e, cb: (log.append(c.hex() + ':' + e), cb()))
    assert w.set_default_encoding('hex') is w
    w.write('ff00')
    w.write('ff', 'latin1')
    for bad, exc in [(None, errors.ERR_STREAM_NULL_VALUES), (5, errors.ERR_INVALID_ARG_TYPE),
                     ({}, errors.ERR_INVALID_ARG_TYPE)]:
        with pytest.raises(exc) as info:
            w.write(bad)
        assert info.value.name == 'TypeError' and isinstance(info.value, TypeError)
    with pytest.raises(errors.ERR_UNKNOWN_ENCODING):
        w.write('x', 'nope')
    with pytest.raises(errors.ERR_UNKNOWN_ENCODING):
        w.set_default_encoding('nope')
    assert log == ['ff00:buffer', '6666:buffer']


def test_decode_strings_false_passes_str_and_encoding():
    log = []
    w = Writable(decode_strings=False, write=lambda self, c, e, cb: (log.append((c, e)), cb()))
    w.write('héllo')
    w.write('ab', 'base64')
    w.write(b'raw')
    assert log == [('héllo', 'utf8'), ('ab', 'base64'), (b'raw', 'buffer')]


def test_a_string_written_as_buffer():
    """Node: Buffer.from(str, 'buffer') throws ERR_UNKNOWN_ENCODING; with
    decode_strings False ``_write`` gets the string and 'buffer' as they are."""
    log = []
    w = Writable(write=lambda self, c, e, cb: (log.append((c, e)), cb()))
    with pytest.raises(errors.ERR_UNKNOWN_ENCODING) as info:
        w.write('broken', 'buffer')
    assert str(info.value) == 'Unknown encoding: buffer' and isinstance(info.value, TypeError)
    raw = Writable(decode_strings=False, write=lambda self, c, e, cb: (log.append((c, e)), cb()))
    raw.write('broken', 'buffer')
    assert log == [('broken', 'buffer')]


def test_buffers_and_memoryviews():
    seen = []
    hold = []

    def _write(self, chunk, encoding, callback):
        seen.append(chunk)
        hold.append(callback)
    w = Writable(write=_write)
    buf = bytearray(b'abc')
    w.write(buf)            # handed straight to _write (no copy)
    queued = bytearray(b'def')
    w.write(queued)         # queued: copied, so the caller may reuse it
    queued[:] = b'XYZ'
    w.write(memoryview(b'\x01\x02\x03\x04').cast('H'))  # counted in bytes
    assert seen == [buf] and w.writable_length == 10
    hold.pop(0)()
    hold.pop(0)()
    assert seen[1] == b'def' and isinstance(seen[1], bytes)
    assert bytes(seen[2]) == b'\x01\x02\x03\x04'


def test_emit_close_false_and_auto_destroy_false():
    log = []
    w = sink(emit_close=False)
    record(w, log, 'close', 'finish', prefix='1:')
    w.end()
    w2 = sink(auto_destroy=False)
    record(w2, log, 'close', 'finish', prefix='2:')
    w2.end()
    expect(log, ['1:finish', '2:finish'])
    assert w.destroyed and not w2.destroyed


def test_construct_holds_writes():
    log = []

    def _construct(self, callback):
        log.append('construct')
        later(lambda: (log.append('constructed'), callback()), 5)
    w = Writable(construct=_construct, write=lambda self, c, e, cb: (log.append('write:' + text(c)), cb()))
    w.write('a')
    w.end('b')
    record(w, log, 'finish', 'close')
    log.append('sync')
    expect(log, ['sync', 'construct', 'constructed', 'write:a', 'write:b', 'finish', 'close'])


def test_missing_write_implementation():
    w = Writable()
    with pytest.raises(errors.ERR_METHOD_NOT_IMPLEMENTED):
        w.write(b'x')


def test_options_dict_in_node_spelling():
    w = Writable({'highWaterMark': 7, 'objectMode': True, 'decodeStrings': False},
                 write=lambda self, c, e, cb: cb())
    assert w.writable_high_water_mark == 7 and w.writable_object_mode
    assert w.write({'any': 'object'}) is True
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE):
        Writable(high_water_mark=-1)


def test_object_mode_counts_objects():
    hold = []
    w = Writable(object_mode=True, high_water_mark=2, write=lambda self, c, e, cb: hold.append(cb))
    assert w.write(1) is True
    assert w.write([2]) is False  # 2 objects >= 2
    assert w.writable_length == 2
    hold.pop()()
    settle()


def test_writable_flags_through_the_lifecycle():
    hold = []
    w = Writable(write=lambda self, c, e, cb: hold.append(cb))
    assert w.writable and not w.writable_ended and not w.writable_finished
    w.write(b'abc')
    w.end()
    assert not w.writable and w.writable_ended and not w.writable_finished and w.writable_length == 3
    hold.pop()()
    settle()
    assert w.writable_finished and w.destroyed and w.closed and w.errored is None
    assert w.writable_aborted is False


def test_end_after_destroy_calls_back_with_destroyed():
    """Deliberate difference: node 20 never calls this callback (its docs say
    ERR_STREAM_DESTROYED); gnet calls it, so no callback is ever lost."""
    log = []
    w = sink()
    w.destroy()
    settle()
    assert w.end(lambda e: log.append(code(e))) is w
    assert w.writable_ended
    expect(log, ['ERR_STREAM_DESTROYED'])
