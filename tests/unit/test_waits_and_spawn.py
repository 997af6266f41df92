"""Waits in the loop runner's own greenlet, and ``gnet.spawn``.

``gnet.once`` called in a timer callback, an immediate or a tick (all run by
the loop's runner) pumps the runner: ticks, timers and immediates go on while
the callback waits, and a waiting runner with nothing else to run counts as
idle, so ``run()`` returns as Node exits with an ``await`` pending
(gnet/runtime/loop.py, the module docstring).  ``gnet.spawn`` greenlets report
an escaping exception like a listener's and keep ``run()`` alive except while
they wait in a gnet wait (gnet/runtime/sync.py).
"""

import gevent
import pytest

import gnet
from gnet.runtime.executor import MAX_PUMP_DEPTH, WaitTooDeep

WAIT = 5


class Boom(Exception):
    """The exception the code under test raises."""


@pytest.mark.timeout(10)
def test_a_timer_callback_awaits_an_event_while_other_timers_run():
    emitter = gnet.EventEmitter()
    trace = []

    def waiter():
        trace.append('wait')
        gnet.set_immediate(trace.append, 'immediate')  # runs while the waiter waits
        trace.append(('got', gnet.once(emitter, 'go')))
    gnet.set_timeout(waiter, 1)
    gnet.set_timeout(trace.append, 5, 'other timer')
    gnet.set_timeout(lambda: (trace.append('emit'), emitter.emit('go', 1)), 20)
    with gevent.Timeout(WAIT):
        gnet.run()
    # which of the immediate and the 5 ms timer runs first depends on how late the
    # loop is (as in Node: a timer that is due runs in the timers phase); both run
    # while the waiter waits, before the 20 ms timer
    assert trace[0] == 'wait' and trace[-2:] == ['emit', ('got', (1,))]
    assert sorted(trace[1:3]) == ['immediate', 'other timer']


@pytest.mark.timeout(10)
def test_ticks_keep_their_order_around_a_waiting_tick():
    emitter = gnet.EventEmitter()
    trace = []

    def first():
        trace.append('t1')
        gnet.next_tick(trace.append, 't3')
        gnet.once(emitter, 'go')
        trace.append('t1 resumed')
    gnet.next_tick(first)
    gnet.next_tick(trace.append, 't2')
    gnet.set_timeout(emitter.emit, 5, 'go')
    with gevent.Timeout(WAIT):
        gnet.run()
    assert trace == ['t1', 't2', 't3', 't1 resumed']


@pytest.mark.timeout(10)
def test_a_pending_wait_in_a_callback_does_not_keep_run_alive():
    emitter = gnet.EventEmitter()
    resumed = []
    gnet.set_timeout(lambda: resumed.append(gnet.once(emitter, 'never')), 1)
    with gevent.Timeout(WAIT):
        gnet.run()  # returns: only a pending wait is left, as Node exits with an await pending
    assert not resumed
    emitter.emit('never', 'late')  # the runner's wait resumes (gnet works without run())
    with gevent.Timeout(WAIT):
        while not resumed:
            gevent.sleep(0.001)
    assert resumed == [('late',)]


@pytest.mark.timeout(10)
def test_a_timed_wait_in_a_callback_raises_timeout_error():
    outcome = []

    def waiter():
        try:
            gnet.once(gnet.EventEmitter(), 'never', timeout=0.01)
        except TimeoutError:
            outcome.append('timeout')
    gnet.set_timeout(waiter, 1)
    gnet.set_timeout(outcome.append, 200, 'kept alive')  # the timer keeps run() going
    with gevent.Timeout(WAIT):
        gnet.run()
    assert outcome == ['timeout', 'kept alive']


@pytest.mark.timeout(10)
def test_waits_nested_too_deep_raise():
    emitter = gnet.EventEmitter().set_max_listeners(0)
    for _ in range(MAX_PUMP_DEPTH + 1):  # each timer waits inside the previous one's wait
        gnet.set_timeout(gnet.once, 1, emitter, 'go')
    with gevent.Timeout(WAIT):
        with pytest.raises(WaitTooDeep) as info:
            gnet.run()
    assert info.value.code == 'ERR_GNET_WAIT_TOO_DEEP'
    assert emitter.listener_count('go') == MAX_PUMP_DEPTH
    emitter.emit('go')  # every wait ends
    with gevent.Timeout(WAIT):
        gnet.run()
    assert emitter.listener_count('go') == 0


# -- spawn --------------------------------------------------------------------------------------
@pytest.mark.timeout(10)
def test_an_exception_escaping_a_spawned_greenlet_is_raised_out_of_run():
    def fail():
        raise Boom('spawned')
    glet = gnet.spawn(fail)
    with gevent.Timeout(WAIT):
        with pytest.raises(Boom):
            gnet.run()
    glet.join(WAIT)
    assert glet.dead and glet.value is None


@pytest.mark.timeout(10)
def test_a_spawned_greenlet_keeps_run_alive_while_it_blocks_in_gevent():
    done = []
    gnet.spawn(lambda: (gevent.sleep(0.05), done.append('slept')))
    with gevent.Timeout(WAIT):
        gnet.run()
    assert done == ['slept']


@pytest.mark.timeout(10)
def test_a_spawned_greenlet_waiting_in_once_does_not_keep_run_alive():
    emitter = gnet.EventEmitter()
    glet = gnet.spawn(gnet.once, emitter, 'never')
    with gevent.Timeout(WAIT):
        gnet.run()
    assert not glet.dead
    emitter.emit('never', 1)
    glet.join(WAIT)
    assert glet.value == (1,)


@pytest.mark.timeout(10)
def test_a_spawned_greenlet_waiting_for_a_timer_keeps_run_alive():
    emitter = gnet.EventEmitter()
    glet = gnet.spawn(gnet.once, emitter, 'soon')
    gnet.set_timeout(emitter.emit, 20, 'soon', 'fired')  # the timer keeps run() going
    with gevent.Timeout(WAIT):
        gnet.run()
    glet.join(WAIT)
    assert glet.value == ('fired',)


def test_spawn_rejects_a_non_callable():
    with pytest.raises(gnet.errors.ERR_INVALID_ARG_TYPE):
        gnet.spawn(42)


@pytest.mark.timeout(10)
def test_a_killed_spawned_greenlet_releases_run():
    glet = gnet.spawn(gevent.sleep, 30)
    gevent.sleep(0)
    glet.kill()
    with gevent.Timeout(WAIT):
        gnet.run()
