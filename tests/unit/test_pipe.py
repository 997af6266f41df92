"""pipe/unpipe, pipeline and finished.

Every expected order was produced by the same scenario under node 20.
Ports the behaviours of: test-stream-pipe-await-drain.js,
test-stream-pipe-await-drain-manual-resume.js, test-stream-pipe-after-end.js,
test-stream-pipe-cleanup.js, test-stream-pipe-error-handling.js,
test-stream-pipe-event.js, test-stream-pipe-flow.js,
test-stream-pipe-multiple-pipes.js, test-stream-pipe-needDrain.js,
test-stream-pipe-unpipe-streams.js, test-stream-pipe-without-listenerCount.js
(end: false), test-stream-pipeline.js, test-stream-pipeline-uncaught.js,
test-stream-finished.js.
"""

import pytest

from gnet import errors
from gnet.streams.duplex import Duplex, PassThrough
from gnet.streams.pipe import finished, pipeline
from gnet.streams.readable import Readable
from gnet.streams.writable import Writable

from stream_helpers import code, expect, later, settle, text, wait_until

pytestmark = pytest.mark.timeout(10)


def nop(self, size):
    return None


def test_pipe_backpressure_and_events():
    log = []
    count = [0]

    def _read(self, size):
        count[0] += 1
        self.push('ab%d' % count[0] if count[0] <= 4 else None)
    src = Readable(high_water_mark=4, read=_read)
    dst = Writable(high_water_mark=3, write=lambda self, c, e, cb: (log.append('write:' + text(c)), later(cb, 2)))
    dst.on('pipe', lambda s: log.append('pipe:%s' % (s is src)))
    dst.on('unpipe', lambda s: log.append('unpipe:%s' % (s is src)))
    src.on('pause', lambda: log.append('pause'))
    src.on('resume', lambda: log.append('resume'))
    dst.on('drain', lambda: log.append('drain'))
    src.on('end', lambda: log.append('src:end'))
    dst.on('finish', lambda: log.append('dst:finish'))
    dst.on('close', lambda: log.append('dst:close'))
    log.append('ret:%s' % (src.pipe(dst) is dst))
    expect(log, ['pipe:True', 'ret:True', 'resume', 'write:ab1', 'pause', 'drain', 'resume', 'write:ab2',
                 'pause', 'drain', 'resume', 'write:ab3', 'pause', 'drain', 'resume', 'write:ab4', 'pause',
                 'src:end', 'dst:finish', 'unpipe:True', 'dst:close'])


def test_pipe_awaits_drain_of_every_destination():
    log = []
    src = Readable(read=nop)
    d1 = Writable(high_water_mark=1, write=lambda self, c, e, cb: (log.append('d1:' + text(c)), later(cb, 10)))
    d2 = Writable(high_water_mark=1, write=lambda self, c, e, cb: (log.append('d2:' + text(c)), later(cb, 2)))
    src.pipe(d1)
    src.pipe(d2)
    src.on('pause', lambda: log.append('pause'))
    src.on('resume', lambda: log.append('resume'))
    d1.on('drain', lambda: log.append('drain1'))
    d2.on('drain', lambda: log.append('drain2'))
    later(lambda: (src.push('a'), src.push('b')), 2)
    expect(log, ['resume', 'd1:a', 'pause', 'd2:a', 'drain2', 'drain1', 'resume', 'd1:b', 'pause', 'd2:b',
                 'drain2', 'drain1', 'resume'])


def test_unpipe_pauses_and_emits():
    log = []
    src = Readable(read=nop)
    dst = Writable(write=lambda self, c, e, cb: (log.append('w:' + text(c)), cb()))
    dst.on('unpipe', lambda s: log.append('unpipe'))
    src.pipe(dst)
    src.push('a')

    def go():
        assert src.unpipe() is src
        log.append('flowing:%s' % src.readable_flowing)
        src.push('b')
        log.append('len:%d' % src.readable_length)
        src.unpipe()  # nothing piped any more: no event
        src.unpipe(dst)
    later(go, 5)
    expect(log, ['w:a', 'unpipe', 'flowing:False', 'len:1'])


def test_pipe_destination_error_unpipes():
    log = []
    src = Readable(read=nop)
    dst = Writable(write=lambda self, c, e, cb: cb(Exception('dst fail')))
    dst.on('unpipe', lambda s: log.append('unpipe'))
    dst.on('error', lambda e: log.append('error:%s' % e))
    dst.on('close', lambda: log.append('close'))
    src.pipe(dst)
    src.push('a')
    later(lambda: log.append('src-destroyed:%s flowing:%s' % (src.destroyed, src.readable_flowing)), 20)
    expect(log, ['unpipe', 'error:dst fail', 'close', 'src-destroyed:False flowing:False'])


def test_pipe_after_end_ends_destination():
    log = []
    src = Readable(read=nop)
    src.push('x')
    src.push(None)
    src.resume()

    def attach():
        dst = Writable(write=lambda self, c, e, cb: (log.append('w:' + text(c)), cb()))
        dst.on('finish', lambda: log.append('finish'))
        src.pipe(dst)
    src.on('end', lambda: later(attach, 1))
    expect(log, ['finish'])


def test_pipe_end_false():
    log = []
    src = Readable(read=nop)
    dst = Writable(write=lambda self, c, e, cb: (log.append('w:' + text(c)), cb()))
    dst.on('finish', lambda: log.append('finish'))
    dst.on('unpipe', lambda s: log.append('unpipe'))
    src.pipe(dst, {'end': False})
    src.push('a')
    src.push(None)
    src.on('end', lambda: log.append('end writable:%s' % dst.writable))
    expect(log, ['w:a', 'unpipe', 'end writable:True'])
    src2 = Readable(read=nop)
    dst2 = PassThrough()
    src2.pipe(dst2, end=False)
    src2.push(None)
    src2.on('end', lambda: log.append('end2 writable:%s' % dst2.writable))
    wait_until(lambda: 'end2 writable:True' in log)


def test_writable_pipe_is_an_error():
    log = []
    w = Writable(write=lambda self, c, e, cb: cb())
    w.on('error', lambda e: log.append(e.code))
    w.pipe(PassThrough())
    expect(log, ['ERR_STREAM_CANNOT_PIPE'])


# -- pipeline -------------------------------------------------------------------------
def _watch(log, **streams):
    for name, stream in streams.items():
        stream.on('close', lambda n=name: log.append(n + ':close'))
        stream.on('error', lambda e, n=name: log.append(n + ':error:' + code(e)))


def test_pipeline_success():
    log = []
    src = Readable(read=nop)
    mid = PassThrough()
    dst = Writable(write=lambda self, c, e, cb: (log.append('dst:' + text(c)), cb()))
    for name, stream in (('src', src), ('mid', mid), ('dst', dst)):
        for event in ('close', 'finish', 'end'):
            stream.on(event, lambda n=name, ev=event: log.append(n + ':' + ev))
    ret = pipeline(src, mid, dst, lambda err: log.append('cb:%s' % err))
    log.append('ret-is-dst:%s' % (ret is dst))
    src.push('a')
    src.push('b')
    src.push(None)
    expect(log, ['ret-is-dst:True', 'dst:a', 'dst:b', 'src:end', 'mid:end', 'mid:finish', 'src:close',
                 'dst:finish', 'mid:close', 'dst:close', 'cb:None'])


def test_pipeline_sink_error_destroys_everything():
    log = []
    src = Readable(read=nop)
    mid = PassThrough()
    dst = Writable(write=lambda self, c, e, cb: (log.append('dst:' + text(c)), cb(Exception('sink fail'))))
    _watch(log, src=src, mid=mid, dst=dst)
    pipeline(src, mid, dst, lambda err: log.append('cb:%s' % code(err)))
    src.push('a')
    expect(log, ['dst:a', 'dst:error:sink fail', 'dst:close', 'src:error:sink fail', 'src:close',
                 'mid:error:sink fail', 'mid:close', 'cb:sink fail'])
    assert src.destroyed and mid.destroyed and dst.destroyed


def test_pipeline_source_error():
    log = []
    src = Readable(read=nop)
    mid = PassThrough()
    dst = Writable(write=lambda self, c, e, cb: cb())
    _watch(log, src=src, mid=mid, dst=dst)
    pipeline([src, mid, dst], lambda err: log.append('cb:%s' % code(err)))
    src.push('a')
    later(lambda: src.destroy(Exception('src fail')), 2)
    expect(log, ['src:error:src fail', 'src:close', 'mid:error:src fail', 'mid:close',
                 'dst:error:src fail', 'dst:close', 'cb:src fail'])


def test_pipeline_premature_close():
    log = []
    src = Readable(read=nop)
    dst = Writable(write=lambda self, c, e, cb: cb())
    _watch(log, src=src, dst=dst)
    pipeline(src, dst, lambda err: log.append('cb:%s' % code(err)))
    later(dst.destroy, 2)
    expect(log, ['dst:close', 'src:error:ERR_STREAM_PREMATURE_CLOSE', 'src:close',
                 'cb:ERR_STREAM_PREMATURE_CLOSE'])


def test_pipeline_callback_once_and_ends_destination():
    log = []
    src = Readable(read=nop)
    dst = Writable(write=lambda self, c, e, cb: (log.append('w:' + text(c)), cb()))
    dst.on('finish', lambda: log.append('finish'))
    pipeline(src, dst, lambda err: log.append('cb:%s writable:%s' % (err, dst.writable)))
    src.push('a')
    src.push(None)
    expect(log, ['w:a', 'finish', 'cb:None writable:False'])


def test_pipeline_argument_errors():
    with pytest.raises(errors.ERR_MISSING_ARGS):
        pipeline(PassThrough(), lambda err: None)
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        pipeline(PassThrough(), PassThrough())


# -- finished -------------------------------------------------------------------------
def test_finished_premature_close_error_and_cleanup():
    log = []
    r = Readable(read=nop)
    finished(r, lambda err: log.append('fin:%s' % code(err)))
    r.destroy()
    w = Writable(write=lambda self, c, e, cb: cb())
    finished(w, lambda err: log.append('finw:%s' % code(err)))
    w.end('x')
    r2 = Readable(read=nop)
    cleanup = finished(r2, lambda err: log.append('never'))
    cleanup()
    r2.destroy()
    r3 = Readable(read=nop)
    r3.on('error', lambda e: None)
    finished(r3, lambda err: log.append('fin3:%s' % code(err)))
    r3.destroy(Exception('bad'))
    expect(log, ['fin:ERR_STREAM_PREMATURE_CLOSE', 'fin3:bad', 'finw:None'])


def test_finished_late_registration_duplex_and_options():
    log = []
    w = Writable(write=lambda self, c, e, cb: cb())
    w.end()
    later(lambda: (finished(w, lambda err: log.append('late:%s' % err)), log.append('registered')), 5)
    d = Duplex(read=nop, write=lambda self, c, e, cb: cb())
    finished(d, lambda err: log.append('duplex:%s' % err))
    d.end()
    later(lambda: (log.append('pushing null'), d.push(None), d.resume()), 10)
    r = Readable(read=nop)
    r.on('error', lambda e: None)
    finished(r, {'error': False}, lambda err: log.append('noerr:%s' % err))
    r.emit('error', Exception('ignored'))
    r2 = Readable(read=nop)
    finished(r2, lambda err: log.append('r2:%s' % err))
    r2.push(None)
    r2.resume()
    expect(log, ['r2:None', 'registered', 'late:None', 'pushing null', 'duplex:None'])


def test_finished_argument_errors():
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        finished(PassThrough(), None)
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        finished(object(), lambda err: None)


def test_finished_readable_only_on_a_duplex():
    log = []
    d = Duplex(read=nop, write=lambda self, c, e, cb: cb())
    finished(d, lambda err: log.append('readable-done:%s' % err), writable=False)
    d.push(None)
    d.resume()
    wait_until(lambda: log)
    settle()
    assert log == ['readable-done:None'] and d.writable
