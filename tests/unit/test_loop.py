"""The event loop: Node's ordering of ticks, immediates and timers; run()."""

import gevent
import pytest

import gnet
from gnet.runtime import loop as gnet_loop
from gnet.interfaces import ILoop, ITimer
from zope.interface.verify import verifyObject


def run_and_collect(setup):
    order = []
    setup(order)
    with gevent.Timeout(5):
        gnet.run()
    return order


ORDERING_TABLE = [
    # (description, scheduling function, expected order)
    ('ticks before immediates',
     lambda o: (gnet.set_immediate(o.append, 'i1'), gnet.next_tick(o.append, 't1'),
                gnet.next_tick(o.append, 't2')),
     ['t1', 't2', 'i1']),
    ('tick queued by an immediate runs before the next immediate',
     lambda o: (gnet.set_immediate(lambda: (o.append('i1'), gnet.next_tick(o.append, 't-in-i1'))),
                gnet.set_immediate(o.append, 'i2')),
     ['i1', 't-in-i1', 'i2']),
    ('nested ticks all run before an immediate',
     lambda o: (gnet.set_immediate(o.append, 'i'),
                gnet.next_tick(lambda: (o.append('t1'), gnet.next_tick(o.append, 't3'))),
                gnet.next_tick(o.append, 't2')),
     ['t1', 't2', 't3', 'i']),
    ('immediates in creation order',
     lambda o: [gnet.set_immediate(o.append, n) for n in range(5)],
     [0, 1, 2, 3, 4]),
    ('an immediate set by an immediate waits a turn',
     lambda o: (gnet.set_immediate(lambda: (o.append('a'), gnet.set_immediate(o.append, 'c'))),
                gnet.set_immediate(o.append, 'b')),
     ['a', 'b', 'c']),
    ('timers by due time',
     lambda o: (gnet.set_timeout(o.append, 30, 'late'), gnet.set_timeout(o.append, 5, 'early')),
     ['early', 'late']),
    ('equal timers in creation order',
     lambda o: [gnet.set_timeout(o.append, 5, n) for n in range(6)],
     [0, 1, 2, 3, 4, 5]),
    ('a tick queued in a timer runs before the next timer',
     lambda o: (gnet.set_timeout(lambda: (o.append('t1'), gnet.next_tick(o.append, 'tick')), 5),
                gnet.set_timeout(o.append, 5, 't2')),
     ['t1', 'tick', 't2']),
    ('cleared timers never fire',
     lambda o: (gnet.clear_timeout(gnet.set_timeout(o.append, 1, 'x')), gnet.set_timeout(o.append, 2, 'y')),
     ['y']),
    ('cleared immediates never fire',
     lambda o: (gnet.clear_immediate(gnet.set_immediate(o.append, 'x')), gnet.set_immediate(o.append, 'y')),
     ['y']),
    ('0 ms and 1 ms timers are the same (Node coerces to 1)',
     lambda o: (gnet.set_timeout(o.append, 1, 'one'), gnet.set_timeout(o.append, 0, 'zero')),
     ['one', 'zero']),
]


@pytest.mark.timeout(10)
@pytest.mark.parametrize('name,setup,expected', ORDERING_TABLE, ids=[r[0] for r in ORDERING_TABLE])
def test_ordering_table(name, setup, expected):
    assert run_and_collect(setup) == expected


@pytest.mark.timeout(10)
def test_zero_timer_never_fires_inside_the_call():
    fired = []
    gnet.set_timeout(fired.append, 0, 1)
    assert fired == []
    gnet.run()
    assert fired == [1]


@pytest.mark.timeout(10)
def test_interval_repeats_until_cleared():
    count = []

    def tick():
        count.append(1)
        if len(count) == 4:
            gnet.clear_interval(handle)
    handle = gnet.set_interval(tick, 1)
    gnet.run()
    assert len(count) == 4


@pytest.mark.timeout(10)
def test_run_returns_with_only_unreferenced_timers():
    fired = []
    t = gnet.set_timeout(fired.append, 60000, 'never')
    assert t.unref() is t
    assert t.has_ref() is False
    gnet.run()  # returns at once
    assert fired == []
    assert t.ref().has_ref()
    t.close()
    gnet.run()


@pytest.mark.timeout(10)
def test_unreferenced_timer_still_fires_while_loop_is_alive():
    order = []
    gnet.set_timeout(order.append, 1, 'unref').unref()
    gnet.set_timeout(order.append, 40, 'ref')
    gnet.run()
    assert order == ['unref', 'ref']


@pytest.mark.timeout(10)
def test_refresh_restarts_the_countdown():
    order = []
    t = gnet.set_timeout(order.append, 30, 'refreshed')
    gnet.set_timeout(lambda: (order.append('mid'), t.refresh()), 20)
    gnet.set_timeout(order.append, 40, 'plain')
    gnet.run()
    assert order == ['mid', 'plain', 'refreshed']


@pytest.mark.timeout(10)
def test_run_reraises_a_callback_exception_and_can_run_again():
    def boom():
        raise KeyError('boom')
    gnet.set_timeout(boom, 1)
    later = []
    gnet.set_timeout(later.append, 30, 'later')
    with pytest.raises(KeyError):
        gnet.run()
    gnet.run()
    assert later == ['later']


@pytest.mark.timeout(10)
def test_run_reraises_a_listener_exception():
    emitter = gnet.EventEmitter()

    def listener():
        raise ValueError('from listener')
    emitter.on('go', listener)
    gnet.next_tick(emitter.emit, 'go')
    with pytest.raises(ValueError, match='from listener'):
        gnet.run()


@pytest.mark.timeout(10)
def test_unhandled_error_event_is_raised_out_of_run():
    emitter = gnet.EventEmitter()
    err = gnet.errors.ERR_SOCKET_CLOSED()
    gnet.set_immediate(emitter.emit, 'error', err)
    with pytest.raises(gnet.errors.NodeError) as info:
        gnet.run()
    assert info.value is err


@pytest.mark.timeout(10)
def test_without_run_an_exception_is_logged(caplog):
    def boom():
        raise RuntimeError('logged not raised')
    done = gevent.event.Event()
    gnet.set_timeout(boom, 1)
    gnet.set_timeout(done.set, 5)
    with caplog.at_level('ERROR', logger='gnet'):
        assert done.wait(5)
    assert any('logged not raised' in (r.exc_text or '') or
               (r.exc_info and 'logged not raised' in str(r.exc_info[1]))
               for r in caplog.records)


@pytest.mark.timeout(10)
def test_bad_callback_raises_invalid_arg_type():
    with pytest.raises(gnet.errors.ERR_INVALID_ARG_TYPE):
        gnet.set_timeout('not callable', 1)
    with pytest.raises(TypeError):
        gnet.set_immediate(None)


@pytest.mark.timeout(10)
def test_listener_may_block_cooperatively_in_a_timer():
    order = []

    def blocking():
        gevent.sleep(0.01)
        order.append('slept')
    gnet.set_timeout(blocking, 1)
    gnet.run()
    assert order == ['slept']


def test_verify_loop_and_timer_objects():
    verifyObject(ILoop, gnet_loop.get_loop())
    t = gnet.set_timeout(lambda: None, 1000)
    i = gnet.set_immediate(lambda: None)
    try:
        verifyObject(ITimer, t)
        verifyObject(ITimer, i)
    finally:
        t.close()
        i.close()
    gnet.run()


def test_timer_camelcase_aliases():
    t = gnet.setTimeout(lambda: None, 1000)
    assert t.hasRef() is True
    gnet.clearTimeout(t)
    gnet.run()


@pytest.mark.timeout(10)
def test_blocking_helpers_work_without_run_while_gnet_timers_are_pending():
    # gevent's hub must stay alive for a referenced gnet timer (no LoopExit)
    emitter = gnet.EventEmitter()
    gnet.set_timeout(emitter.emit, 20, 'later', 'ok')
    assert gnet.once(emitter, 'later', timeout=5) == ('ok',)


@pytest.mark.timeout(10)
def test_a_base_exception_in_a_timer_does_not_kill_the_loop():
    class Fatal(BaseException):
        pass

    def fatal():
        raise Fatal()
    later = []
    gnet.set_timeout(fatal, 1)
    gnet.set_timeout(later.append, 20, 'still firing')
    with pytest.raises(Fatal):
        gnet.run()
    gnet.run()
    assert later == ['still firing']
    assert not gnet_loop.get_loop().runner.glet.dead
