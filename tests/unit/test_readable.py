"""gnet.Readable: Node's readable state machine.

Every expected event order was produced by the same scenario under node 20.
Ports the behaviours of: test-stream-readable-flow-recursion.js,
test-stream2-readable-from-list.js, test-stream-readable-event.js,
test-stream-readable-pause-and-resume.js, test-stream-readable-readable-then-resume.js,
test-stream-readable-data.js, test-stream-readable-reading-readingMore.js,
test-stream-readable-needReadable.js, test-stream-readable-hwm-0.js,
test-stream2-read-sync-stack.js, test-stream-readable-setEncoding-existing-buffers.js,
test-stream-readable-setEncoding-null.js, test-stream2-set-encoding.js,
test-stream-unshift-empty-chunk.js, test-stream-unshift-read-race.js,
test-stream-readable-unshift.js, test-stream-push-strings.js,
test-stream-readable-invalid-chunk.js, test-stream-readable-end-destroyed.js,
test-stream-readable-destroy.js, test-stream-readable-emittedReadable.js,
test-stream-readable-object-multi-push-async.js, test-stream-readable-didRead.js,
test-stream-readable-aborted.js, test-stream-readable-async-iterators.js (as
blocking iteration).
"""

import json

import gevent
import pytest
from zope.interface.verify import verifyObject

from gnet import errors, interfaces
from gnet.runtime import loop
from gnet.streams.readable import Readable

from stream_helpers import expect, later, record, settle, text, wait_until

pytestmark = pytest.mark.timeout(10)


def nop(self, size):
    return None


def test_interface_and_aliases():
    r = Readable(read=nop)
    assert verifyObject(interfaces.IReadable, r)
    assert r.readableFlowing is None and r.readableHighWaterMark == 16384  # Node 20
    assert r.isPaused() is False and r.setEncoding('utf8') is r


def test_push_inside_read_is_buffered_and_readable_mode():
    log = []
    count = [0]

    def _read(self, size):
        log.append('read:%d' % size)
        count[0] += 1
        self.push(('x%d' % count[0]) if count[0] <= 3 else None)
    r = Readable(high_water_mark=4, read=_read)
    record(r, log, 'end', 'close', 'pause', 'resume', 'readable')
    r.on('data', lambda d: log.append('data:' + text(d)))
    log.append('flowing:%s' % r.readable_flowing)
    log.append('sync-done')
    # a 'readable' listener (added first) wins: paused mode, nobody reads
    expect(log, ['flowing:False', 'sync-done', 'read:4', 'readable', 'read:4', 'readable'])


def test_readable_event_and_read():
    log = []
    r = Readable(read=nop)

    def on_readable():
        log.append('readable')
        while True:
            chunk = r.read()
            if chunk is None:
                break
            log.append('got:' + text(chunk))
    r.on('readable', on_readable)
    for event in ('end', 'close', 'data'):
        r.on(event, lambda x=None, e=event: log.append(e + (':' + text(x) if x else '')))
    r.push('ab')
    r.push('cd')
    later(lambda: (r.push('ef'), r.push(None), log.append('pushed-null')), 5)
    log.append('flowing:%s' % r.readable_flowing)
    expect(log, ['flowing:False', 'readable', 'data:abcd', 'got:abcd', 'readable', 'data:ef', 'got:ef',
                 'pushed-null', 'readable', 'end', 'close'])


def test_data_listener_after_pause_does_not_resume():
    log = []
    r = Readable(read=nop)
    r.pause()
    r.on('data', lambda d: log.append('data:' + text(d)))
    r.push('a')
    log.append('flowing:%s paused:%s' % (r.readable_flowing, r.is_paused()))

    def go():
        log.append('len:%d' % r.readable_length)
        r.resume()
        log.append('flowing:%s' % r.readable_flowing)
    later(go, 5)
    record(r, log, 'pause', 'resume', 'end')
    later(lambda: r.push(None), 10)
    expect(log, ['flowing:False paused:True', 'len:1', 'flowing:True', 'resume', 'data:a', 'end'])


def test_push_outside_read_while_flowing_emits_data_synchronously():
    log = []
    r = Readable(read=lambda self, n: log.append('read'))
    r.on('data', lambda d: log.append('data:' + text(d)))

    def push():
        log.append('before')
        log.append('ret:%s' % r.push('z'))
        log.append('after')
        r.push(None)
    later(push, 5)
    record(r, log, 'end', 'close')
    expect(log, ['read', 'before', 'data:z', 'ret:True', 'after', 'end', 'close'])


def test_set_encoding_splits_multibyte():
    log = []
    r = Readable(read=nop)
    assert r.set_encoding('utf8') is r
    buf = 'h€llo'.encode()
    r.on('data', lambda d: log.append(json.dumps(d, ensure_ascii=False)))
    r.push(buf[:2])
    later(lambda: (r.push(buf[2:3]), r.push(buf[3:]), r.push(bytes([0xe2])), r.push(None)), 5)
    r.on('end', lambda: log.append('end %s' % r.readable_encoding))
    expect(log, ['"h"', '"€llo"', '"�"', 'end utf8'])


def test_set_encoding_converts_existing_buffer():
    log = []
    r = Readable(read=nop)
    data = '€€'.encode()
    r.push(data[:4])
    r.set_encoding('utf-8')
    log.append('len:%d enc:%s' % (r.readable_length, r.readable_encoding))
    r.push(data[4:])
    r.on('data', lambda d: log.append(json.dumps(d, ensure_ascii=False)))
    r.push(None)
    expect(log, ['len:1 enc:utf8', '"€"', '"€"'])


def test_encoding_option_hex():
    log = []
    r = Readable(encoding='hex', read=nop)
    r.on('data', log.append)
    r.push(bytes([1, 255]))
    r.push('zz', 'latin1')
    r.push(None)
    expect(log, ['01ff', '7a7a'])


def test_unshift_and_read_n():
    log = []
    r = Readable(read=nop)
    r.push('world')
    r.unshift('hello ')

    def on_readable():
        while True:
            chunk = r.read(3)
            if chunk is None:
                break
            log.append('got:' + text(chunk))
    r.on('readable', on_readable)
    r.push(None)
    r.on('end', lambda: log.append('end'))
    expect(log, ['got:hel', 'got:lo ', 'got:wor', 'got:ld', 'end'])


def test_unshift_empty_chunk_and_after_end():
    log = []
    r = Readable(read=nop)
    assert r.unshift(b'') is True and r.readable_length == 0
    r.on('error', lambda e: log.append('error:' + e.code))
    r.on('close', lambda: log.append('close'))
    r.on('end', lambda: (log.append('end'), r.unshift('x')))
    r.resume()
    r.push(None)
    expect(log, ['end', 'error:ERR_STREAM_UNSHIFT_AFTER_END_EVENT', 'close'])


def test_push_after_eof():
    log = []
    r = Readable(read=nop)
    r.on('error', lambda e: log.append('error:' + e.code))
    r.on('close', lambda: log.append('close'))
    r.push(None)
    log.append('ret:%s' % r.push('x'))
    r.on('data', lambda d: None)
    r.on('end', lambda: log.append('end'))
    expect(log, ['ret:False', 'error:ERR_STREAM_PUSH_AFTER_EOF', 'close'])


def test_invalid_push():
    log = []
    r = Readable(read=nop)
    r.on('error', lambda e: log.append('error:' + e.code))
    r.on('close', lambda: log.append('close'))
    log.append('ret:%s' % r.push(5))
    expect(log, ['ret:False', 'error:ERR_INVALID_ARG_TYPE', 'close'])


def test_read_is_not_called_again_before_a_push():
    log = []
    r = Readable(high_water_mark=10, read=lambda self, n: log.append('read:%d' % n))
    r.on('data', lambda d: log.append('data:' + text(d)))
    later(lambda: (log.append('push'), r.push('abc')), 5)
    later(lambda: log.append('len:%d' % r.readable_length), 10)
    expect(log, ['read:10', 'push', 'data:abc', 'read:10', 'len:0'])


def test_paused_buffer_fills_to_high_water_mark_then_read_stops():
    log = []
    calls = [0]

    def _read(self, size):
        calls[0] += 1
        log.append('read')
        loop.set_immediate(lambda: self.push('ab'))
    r = Readable(high_water_mark=6, read=_read)
    r.pause()
    r.read(0)
    wait_until(lambda: r.readable_length >= 6)
    settle()
    assert log == ['read', 'read', 'read'] and r.readable_length == 6 and calls[0] == 3


def test_flowing_tri_state_and_pause_resume_events():
    log = []
    r = Readable(read=nop)
    log.append('f:%s p:%s' % (r.readable_flowing, r.is_paused()))
    record(r, log, 'pause', 'resume')
    assert r.resume() is r
    log.append('f:%s p:%s' % (r.readable_flowing, r.is_paused()))
    assert r.pause() is r
    log.append('f:%s p:%s' % (r.readable_flowing, r.is_paused()))
    r.pause()
    r.on('data', lambda d: None)
    log.append('f:%s' % r.readable_flowing)
    r.resume()
    r.resume()
    log.append('f:%s' % r.readable_flowing)
    expect(log, ['f:None p:False', 'f:True p:False', 'pause', 'f:False p:True', 'f:False', 'f:True',
                 'resume'])


def test_removing_readable_listener_resumes_data():
    log = []
    r = Readable(read=nop)

    def on_readable():
        log.append('readable')
    r.on('readable', on_readable)
    r.on('data', lambda d: log.append('data:' + text(d)))
    log.append('f:%s' % r.readable_flowing)
    r.push('a')
    later(lambda: (r.remove_listener('readable', on_readable),
                   log.append('removed f:%s' % r.readable_flowing)), 5)
    later(lambda: (log.append('f:%s' % r.readable_flowing), r.push('b')), 10)
    expect(log, ['f:False', 'readable', 'removed f:False', 'data:a', 'f:True', 'data:b'])


def test_read_sizes_and_high_water_mark_growth():
    log = []
    r = Readable(read=nop)
    r.push('abcdef')
    r.push('gh')
    log += [r.read(3), r.read(4), r.read(5), r.readable_length, r.read(), r.read()]
    r.push('xyz')
    r.push(None)
    log.append(r.read(10))
    log.append(r.readable_high_water_mark)
    r.read(100000)
    log.append(r.readable_high_water_mark)
    r.on('end', lambda: log.append('end'))
    r.on('data', lambda d: None)
    expect(log, [b'abc', b'defg', None, 1, b'h', None, b'xyz', 16384, 131072, 'end'])
    with pytest.raises(errors.ERR_OUT_OF_RANGE):
        Readable(read=nop).read(2 ** 31)


@pytest.mark.parametrize('size, expected', [
    (float('nan'), b'abcdefghij'), (float('inf'), b'abcdefghij'), (1.9, b'a'), ('2', b'ab'),
    ('abc', b'abcdefghij'), (True, b'abcdefghij'), ({}, b'abcdefghij'), (1.5e-7, b'a'), (-1, None)])
def test_a_read_size_that_is_not_an_int_is_parsed_as_node_does(size, expected):
    """node 20: ``read(n)`` takes ``parseInt(n, 10)`` of a non-integer; NaN reads everything."""
    r = Readable(read=nop)
    r.push('abcdef')
    r.push('ghij')
    assert r.read(size) == expected


def test_end_needs_consumption_and_never_follows_error():
    log = []
    r = Readable(read=nop)
    r.push('a')
    r.push(None)

    def go():
        log.append('ended:%s' % r.readable_ended)
        r.on('error', lambda e: log.append('error:%s' % e))
        r.on('end', lambda: log.append('end'))
        r.on('close', lambda: log.append('close'))
        r.destroy(Exception('x'))
        log.append('aborted:%s' % r.readable_aborted)
    later(go, 5)
    expect(log, ['ended:False', 'aborted:True', 'error:x', 'close'])


def test_object_mode():
    log = []
    r = Readable(object_mode=True, read=nop)
    r.push({'a': 1})
    r.push(2)
    log.append('len:%d' % r.readable_length)
    r.push(None)
    r.on('data', lambda d: log.append(json.dumps(d)))
    r.on('end', lambda: log.append('end'))
    expect(log, ['len:2', '{"a": 1}', '2', 'end'])


def test_did_read_and_empty_pushes():
    r = Readable(read=nop)
    assert r.readable_did_read is False
    r.push('a')
    r.read()
    assert r.readable_did_read is True
    log = []
    count = [0]

    def _read(self, size):
        count[0] += 1
        self.push('' if count[0] == 1 else ('x' if count[0] < 4 else None))
    r2 = Readable(read=_read)
    r2.on('data', lambda d: log.append('data:' + text(d)))
    r2.on('end', lambda: log.append('end:%d' % count[0]))
    expect(log, ['data:x', 'data:x', 'end:4'])


def test_flow_recursion_does_not_overflow():
    """test-stream-readable-flow-recursion.js: sync pushes from _read, deep data."""
    total = [0]
    pushed = [0]

    def _read(self, size):
        pushed[0] += 1
        self.push(b'x' * 16 if pushed[0] <= 20000 else None)
    r = Readable(high_water_mark=64, read=_read)
    r.on('data', lambda d: total.__setitem__(0, total[0] + len(d)))
    ended = []
    r.on('end', lambda: ended.append(True))
    wait_until(lambda: ended)
    assert total[0] == 20000 * 16


def test_bytearray_push_is_copied():
    r = Readable(read=nop)
    buf = bytearray(b'abc')
    r.push(buf)
    buf[:] = b'XYZ'
    assert r.read() == b'abc'


def test_missing_read_implementation_errors():
    log = []
    r = Readable()
    r.on('error', lambda e: log.append(e.code))
    r.resume()
    expect(log, ['ERR_METHOD_NOT_IMPLEMENTED'])


def test_iteration_yields_chunks_until_end():
    chunks = [b'a', b'b', b'c', None]

    def _read(self, size):  # one chunk per _read, asynchronously
        loop.set_immediate(lambda: self.push(chunks.pop(0)))
    r = Readable(read=_read)
    got = list(r)
    assert b''.join(got) == b'abc'  # read-ahead may merge chunks, as in Node
    settle()
    assert r.readable_ended and r.destroyed


def test_iteration_raises_the_stream_error():
    r = Readable(read=nop)
    r.push(b'a')
    gevent.spawn(r.destroy, ValueError('broken'))  # runs once the iterating greenlet blocks
    got = []
    with pytest.raises(ValueError, match='broken'):
        for chunk in r:
            got.append(chunk)
    assert got == [b'a']


def test_iteration_break_destroys():
    r = Readable(read=nop)
    r.push(b'a')
    r.push(b'b')
    for chunk in r:
        break
    assert r.destroyed
    settle()
    assert r.closed


def test_readable_module_is_pure():
    import ast
    import inspect

    from gnet.streams import base as stream_base
    from gnet.streams import duplex as stream_duplex
    from gnet.streams import pipe as stream_pipe
    from gnet.streams import readable as stream_readable
    from gnet.streams import writable as stream_writable
    from gnet.testing import memory
    for module in (stream_base, stream_readable, stream_writable, stream_duplex, stream_pipe, memory):
        tree = ast.parse(inspect.getsource(module))
        names = {alias.name.split('.')[0] for node in ast.walk(tree)
                 if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module.split('.')[0] for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
        assert not names & {'gevent', 'greenlet', 'socket'}, module.__name__


def test_once_data_starts_the_flow():
    log = []
    r = Readable(read=nop)
    r.once('data', lambda d: log.append('once:%s:%s' % (text(d), r.readable_flowing)))
    r.push('a')
    r.push('b')
    # node 20: ['once data a true'], then flowing with nobody listening: 'b' is dropped
    expect(log, ['once:a:True'])
    assert r.readable_flowing is True and r.readable_length == 0
