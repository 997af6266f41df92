"""EventEmitter with Node's semantics.

Ports the behaviours of Node's test/parallel/ files:
test-event-emitter-add-listeners.js, test-event-emitter-once.js,
test-event-emitter-remove-listeners.js, test-event-emitter-remove-all-listeners.js,
test-event-emitter-prepend.js, test-event-emitter-listener-count.js,
test-event-emitter-listeners.js, test-event-emitter-listeners-side-effects.js,
test-event-emitter-max-listeners.js, test-event-emitter-check-listener-leaks.js,
test-event-emitter-get-max-listeners.js, test-event-emitter-errors.js,
test-event-emitter-error-monitor.js (not applicable: no errorMonitor symbol),
test-event-emitter-method-names.js, test-event-emitter-num-args.js,
test-event-emitter-special-event-names.js, test-event-emitter-subclass.js,
test-event-emitter-invalid-listener.js, test-event-emitter-no-error-provided-to-error-event.js,
test-events-once.js (gnet.once, the greenlet form).
"""

import errno
import warnings

import gevent
import pytest
from zope.interface.verify import verifyObject

import gnet
from gnet.errors import ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_UNHANDLED_ERROR
from gnet.events import EventEmitter
from gnet.interfaces import IEventEmitter


def test_verify_interface():
    verifyObject(IEventEmitter, EventEmitter())


def test_add_listeners_new_listener_before_adding():
    e = EventEmitter()
    seen = []

    def on_new(event, listener):
        seen.append((event, listener, e.listeners(event)))
    e.on('newListener', on_new)

    def hello(a, b):
        seen.append(('hello', a, b))
    e.on('hello', hello)
    e.emit('hello', 'a', 'b')
    # newListener is emitted before the listener is added
    assert seen[0] == ('hello', hello, [])
    assert seen[1] == ('hello', 'a', 'b')


def test_new_listener_sees_unwrapped_once_listener():
    e = EventEmitter()
    got = []
    e.on('newListener', lambda ev, l: got.append(l))
    f = lambda: None  # noqa: E731
    e.once('x', f)
    assert got == [f]


def test_emit_returns_whether_there_were_listeners():
    e = EventEmitter()
    assert e.emit('nothing') is False
    e.on('x', lambda: None)
    assert e.emit('x') is True


def test_num_args_are_passed_through():
    e = EventEmitter()
    counts = []
    e.on('n', lambda *a: counts.append(len(a)))
    for n in range(6):
        e.emit('n', *range(n))
    assert counts == [0, 1, 2, 3, 4, 5]


def test_once_fires_once_and_can_be_removed_before():
    e = EventEmitter()
    calls = []
    e.once('x', calls.append)
    e.emit('x', 1)
    e.emit('x', 2)
    assert calls == [1]
    f = lambda: calls.append('removed')  # noqa: E731
    e.once('y', f)
    e.remove_listener('y', f)
    e.emit('y')
    assert 'removed' not in calls


def test_once_reentrant_emit_calls_once():
    e = EventEmitter()
    calls = []

    def listener():
        calls.append(1)
        e.emit('x')
    e.once('x', listener)
    e.emit('x')
    assert calls == [1]


def test_listener_removed_during_emit_still_runs_in_that_emit():
    e = EventEmitter()
    order = []

    def first():
        order.append('first')
        e.remove_listener('x', second)

    def second():
        order.append('second')
    e.on('x', first)
    e.on('x', second)
    e.emit('x')
    assert order == ['first', 'second']
    e.emit('x')
    assert order == ['first', 'second', 'first']


def test_listener_added_during_emit_does_not_run_in_that_emit():
    e = EventEmitter()
    order = []
    e.on('x', lambda: e.on('x', lambda: order.append('late')))
    e.emit('x')
    assert order == []
    e.emit('x')
    assert order == ['late']


def test_remove_listener_removes_last_added_instance_and_emits():
    e = EventEmitter()
    removed = []
    e.on('removeListener', lambda ev, l: removed.append((ev, l)))
    f = lambda: None  # noqa: E731
    g = lambda: None  # noqa: E731
    e.on('x', f)
    e.on('x', g)
    e.on('x', f)
    e.remove_listener('x', f)
    assert e.listeners('x') == [f, g]
    assert removed == [('x', f)]
    e.remove_listener('x', lambda: None)  # unknown: no-op, no event
    assert removed == [('x', f)]


def test_remove_all_listeners():
    e = EventEmitter()
    removed = []
    e.on('a', lambda: None)
    e.on('a', lambda: None)
    e.on('b', lambda: None)
    e.on('removeListener', lambda ev, l: removed.append(ev))
    assert e.remove_all_listeners('a') is e
    assert removed == ['a', 'a']
    assert e.listener_count('a') == 0 and e.listener_count('b') == 1
    e.remove_all_listeners()
    assert e.event_names() == []
    assert removed == ['a', 'a', 'b']  # checked against node v20


def test_prepend_listener_and_prepend_once():
    e = EventEmitter()
    order = []
    e.on('x', lambda: order.append('on'))
    e.prepend_listener('x', lambda: order.append('prepend'))
    e.prepend_once_listener('x', lambda: order.append('prepend-once'))
    e.emit('x')
    e.emit('x')
    assert order == ['prepend-once', 'prepend', 'on', 'prepend', 'on']


def test_listener_count_listeners_and_raw_listeners():
    e = EventEmitter()
    f = lambda: None  # noqa: E731
    e.on('x', f)
    e.once('x', f)
    assert e.listener_count('x') == 2
    assert e.listener_count('x', f) == 2
    assert e.listeners('x') == [f, f]
    raw = e.raw_listeners('x')
    assert raw[0] is f and raw[1] is not f and raw[1].listener is f
    # listeners() is a copy: mutating it has no side effect
    e.listeners('x').clear()
    assert e.listener_count('x') == 2


def test_event_names_and_special_names():
    e = EventEmitter()
    for name in ('__proto__', 'toString', 'hasOwnProperty', 'constructor'):
        e.on(name, lambda: None)
    assert e.event_names() == ['__proto__', 'toString', 'hasOwnProperty', 'constructor']
    assert e.emit('toString') is True


def test_max_listeners_warns_once_per_event():
    e = EventEmitter()
    assert e.get_max_listeners() == 10
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        for _ in range(12):
            e.on('x', lambda: None)
        for _ in range(11):
            e.on('y', lambda: None)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert 'x listeners' in messages[0] and 'y listeners' in messages[1]


def test_max_listeners_zero_disables_and_bad_values_raise():
    e = EventEmitter()
    assert e.set_max_listeners(0) is e
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        for _ in range(50):
            e.on('x', lambda: None)
    for bad in (-1, float('nan')):  # codes checked against node v20
        with pytest.raises(ERR_OUT_OF_RANGE):
            e.set_max_listeners(bad)
    for bad in ('a', None):
        with pytest.raises(ERR_INVALID_ARG_TYPE):
            e.set_max_listeners(bad)
    assert e.set_max_listeners(1.5).get_max_listeners() == 1.5


def test_invalid_listener_raises_invalid_arg_type():
    e = EventEmitter()
    for method in (e.on, e.once, e.prepend_listener, e.prepend_once_listener):
        with pytest.raises(ERR_INVALID_ARG_TYPE) as info:
            method('x', 'not a function')
        assert info.value.code == 'ERR_INVALID_ARG_TYPE'
        assert isinstance(info.value, TypeError)


def test_error_without_listener_raises_the_error():
    e = EventEmitter()
    err = ValueError('boom')
    with pytest.raises(ValueError) as info:
        e.emit('error', err)
    assert info.value is err


def test_error_without_listener_wraps_non_exception():
    e = EventEmitter()
    with pytest.raises(ERR_UNHANDLED_ERROR) as info:
        e.emit('error', 'a string')
    assert info.value.code == 'ERR_UNHANDLED_ERROR'
    assert info.value.context == 'a string'
    with pytest.raises(ERR_UNHANDLED_ERROR):
        e.emit('error')


def test_error_with_listener_is_delivered():
    e = EventEmitter()
    got = []
    e.on('error', got.append)
    assert e.emit('error', 'x') is True
    assert got == ['x']


def test_method_chaining():
    e = EventEmitter()
    f = lambda: None  # noqa: E731
    assert e.on('a', f) is e
    assert e.once('a', f) is e
    assert e.off('a', f) is e
    assert e.prepend_listener('a', f) is e
    assert e.remove_all_listeners() is e


def test_subclass_with_own_init():
    class MyEE(EventEmitter):
        def __init__(self, cb):
            super().__init__()
            self.once(1, cb)
    got = []
    MyEE(lambda: got.append('ok')).emit(1)
    assert got == ['ok']


def test_camelcase_aliases_are_the_same_functions():
    for snake, camel in [('add_listener', 'addListener'), ('remove_listener', 'removeListener'),
                         ('remove_all_listeners', 'removeAllListeners'),
                         ('prepend_listener', 'prependListener'),
                         ('prepend_once_listener', 'prependOnceListener'),
                         ('listener_count', 'listenerCount'), ('raw_listeners', 'rawListeners'),
                         ('event_names', 'eventNames'), ('set_max_listeners', 'setMaxListeners'),
                         ('get_max_listeners', 'getMaxListeners')]:
        assert getattr(EventEmitter, camel) is getattr(EventEmitter, snake)


@pytest.mark.timeout(10)
def test_gnet_once_returns_args():
    e = EventEmitter()
    gnet.set_timeout(e.emit, 1, 'ready', 1, 2)
    assert gnet.once(e, 'ready', timeout=5) == (1, 2)
    assert e.listener_count('ready') == 0 and e.listener_count('error') == 0


@pytest.mark.timeout(10)
def test_gnet_once_raises_error_first():
    e = EventEmitter()
    err = gnet.errors.ERR_SOCKET_CLOSED()
    gnet.set_timeout(e.emit, 1, 'error', err)
    with pytest.raises(gnet.errors.ERR_SOCKET_CLOSED):
        gnet.once(e, 'ready', timeout=5)
    assert e.listener_count('error') == 0


@pytest.mark.timeout(10)
def test_gnet_once_times_out():
    e = EventEmitter()
    with pytest.raises(TimeoutError):
        gnet.once(e, 'never', timeout=0.02)
    assert e.listener_count('never') == 0


@pytest.mark.timeout(10)
@pytest.mark.parametrize('catch', [Exception, TimeoutError, gnet.errors.SysError, OSError])
def test_gnet_once_timeout_is_an_ordinary_exception_with_a_code(catch):
    """API.md section 6: not gevent.Timeout (a BaseException) but a gnet TimeoutError."""
    e = EventEmitter()

    def mine(err):
        pass
    e.on('error', mine)  # a listener of the caller's own stays
    try:
        gnet.once(e, 'ready', timeout=0.02)
    except catch as caught:
        err = caught
    else:
        pytest.fail('no timeout')
    assert isinstance(err, TimeoutError) and not isinstance(err, gevent.Timeout)
    assert isinstance(err, gnet.errors.NodeError)
    assert err.code == 'ETIMEDOUT' and err.errno == errno.ETIMEDOUT and err.syscall == 'once'
    assert str(err) == "once ETIMEDOUT: no 'ready' event within 0.02 s"
    assert err.event == 'ready' and err.timeout == 0.02
    assert e.listener_count('ready') == 0
    assert e.listeners('error') == [mine]


@pytest.mark.timeout(10)
def test_gnet_once_waiting_for_error_times_out_without_leaving_a_listener():
    e = EventEmitter()
    with pytest.raises(TimeoutError, match="no 'error' event within 0.01 s"):
        gnet.once(e, 'error', timeout=0.01)
    assert e.listener_count('error') == 0 and e.event_names() == []


def test_a_bound_method_is_removed_by_a_fresh_binding_of_it():
    """Python spelling of Node's ``off(ev, fn)``: ``obj.method`` evaluates to a new object each time."""
    class Handler:
        def __init__(self):
            self.calls = 0

        def on_x(self, *_args):
            self.calls += 1

    emitter = gnet.EventEmitter()
    handler = Handler()
    emitter.on('x', handler.on_x)
    emitter.once('y', handler.on_x)
    assert emitter.listener_count('x', handler.on_x) == 1
    emitter.remove_listener('x', handler.on_x)
    emitter.remove_listener('y', handler.on_x)
    assert not emitter.emit('x') and not emitter.emit('y')
    assert handler.calls == 0
    other = Handler()  # another instance's method is a different listener
    emitter.on('x', handler.on_x)
    emitter.remove_listener('x', other.on_x)
    assert emitter.listener_count('x') == 1
