"""``gnet.process.on('uncaughtException', fn)``: Node's way to keep serving.

As checked against Node 20 (tests/parity/js/uncaught_exception_handler.js,
uncaught_handler_throws.js, uncaught_handler_removed.js): while a handler is
registered an uncaught exception is handed to it as ``fn(err, origin)`` and
nothing crashes; the socket whose listener raised is not destroyed and goes
on serving; an ``'error'`` nobody listens to reaches the handler after its
socket was destroyed; ``'uncaughtExceptionMonitor'`` listeners see each
exception first, with or without a handler; an exception raised by the
handler itself is fatal.  ``gnet.runtime.loop.Loop.report`` is the one
place of the rule.
"""

import logging

import gevent
import pytest

import gnet
from gnet import process
from net_helpers import TRANSPORTS, WAIT, collect, connect_options, serving, wait_close


class Boom(Exception):
    """The exception the code under test raises."""


@pytest.fixture
def handled():
    """An 'uncaughtException' handler recording (err, origin); removed afterwards."""
    got = []

    def handler(err, origin):
        got.append((err, origin))
    process.on('uncaughtException', handler)
    try:
        yield got
    finally:
        process.remove_listener('uncaughtException', handler)
        assert not process.listener_count('uncaughtException')


def boom_then_echo(conn):
    def on_data(data):
        if data == b'boom':
            raise Boom('data listener')
        conn.write(data)
    conn.on('data', on_data)


@pytest.mark.timeout(20)
@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_raising_listener_is_handed_to_the_handler_and_its_socket_serves_on(
        transport, tmp_path, handled):
    conns = []

    def on_connection(conn):
        conns.append(conn)
        boom_then_echo(conn)
    with serving(transport, on_connection, tmp_path) as server:
        client = gnet.connect(connect_options(server))
        got, _ = collect(client)
        client.write(b'boom')
        with gevent.Timeout(WAIT):
            while not handled:
                gevent.sleep(0.001)
        assert isinstance(handled[0][0], Boom) and handled[0][1] == 'uncaughtException'
        client.write(b'again')
        gnet.once(client, 'data', timeout=WAIT)
        assert b''.join(got) == b'again'
        assert not conns[0].destroyed
        client.destroy()
        wait_close(client)


@pytest.mark.timeout(20)
@pytest.mark.parametrize('transport', TRANSPORTS)
def test_a_raising_connection_listener_leaves_the_socket_reading(transport, tmp_path, handled):
    def on_connection(conn):
        conn.on('data', conn.write)
        raise Boom('connection listener')
    with serving(transport, on_connection, tmp_path) as server:
        client = gnet.connect(connect_options(server))
        client.write(b'still read')
        assert gnet.once(client, 'data', timeout=WAIT) == (b'still read',)
        assert [type(err) for err, _ in handled] == [Boom]
        client.destroy()
        wait_close(client)


@pytest.mark.timeout(20)
def test_under_run_the_handler_keeps_run_serving(handled):
    """run() neither raises nor returns early: it returns once nothing is left, as Node exits."""
    def on_connection(conn):
        boom_then_echo(conn)
        conn.on('end', conn.end)
    server = gnet.create_server(on_connection)
    replies = []

    def on_listening():
        client = gnet.connect(server.address()['port'], '127.0.0.1')
        client.on('data', lambda d: (replies.append(d), client.end()))
        client.on('close', lambda *_: server.close())
        client.write(b'boom')
        # the next write only once the server has taken the boom: a timer could let
        # both arrive as one chunk on a loaded machine (b'boomserved', no exception)
        process.once('uncaughtException', lambda err, origin: client.write(b'served'))
    server.listen(0, '127.0.0.1', on_listening)
    with gevent.Timeout(WAIT):
        gnet.run()
    assert replies == [b'served']
    assert [type(err) for err, _ in handled] == [Boom]


@pytest.mark.timeout(20)
@pytest.mark.parametrize('transport', TRANSPORTS)
def test_an_unhandled_error_reaches_the_handler_after_its_socket_is_destroyed(
        transport, tmp_path, handled):
    with serving(transport, None, tmp_path) as server:
        client = gnet.connect(connect_options(server))
        gnet.once(client, 'connect', timeout=WAIT)
        err = gnet.errors.ERR_SOCKET_CLOSED()
        client.destroy(err)   # no 'error' listener
        wait_close(client)
        assert handled == [(err, 'uncaughtException')]
        assert client.destroyed


@pytest.mark.timeout(10)
def test_the_monitor_sees_the_exception_before_the_handler_and_before_a_crash():
    trace = []

    def monitor(err, origin):
        trace.append(('monitor', str(err), origin))

    def handler(err, origin):
        trace.append(('handler', str(err), origin))
    process.on('uncaughtExceptionMonitor', monitor)
    process.on('uncaughtException', handler)
    try:
        gnet.set_timeout(_raise, 1, Boom('handled'))
        with gevent.Timeout(WAIT):
            gnet.run()
        process.remove_listener('uncaughtException', handler)
        gnet.set_timeout(_raise, 1, Boom('fatal'))
        with gevent.Timeout(WAIT), pytest.raises(Boom, match='fatal'):
            gnet.run()
    finally:
        process.remove_listener('uncaughtExceptionMonitor', monitor)
        process.remove_listener('uncaughtException', handler)
    assert trace == [('monitor', 'handled', 'uncaughtException'),
                     ('handler', 'handled', 'uncaughtException'),
                     ('monitor', 'fatal', 'uncaughtException')]


@pytest.mark.timeout(10)
def test_an_exception_raised_by_the_handler_is_fatal():
    def handler(err, origin):
        raise KeyError('handler failed')
    process.on('uncaughtException', handler)
    try:
        gnet.set_timeout(_raise, 1, Boom('first'))
        with gevent.Timeout(WAIT), pytest.raises(KeyError) as info:
            gnet.run()
    finally:
        process.remove_listener('uncaughtException', handler)
    assert isinstance(info.value.__context__, Boom)


@pytest.mark.timeout(10)
def test_without_run_the_handler_is_called_and_nothing_is_logged(handled, caplog):
    done = gevent.event.Event()
    with caplog.at_level(logging.ERROR, logger='gnet'):
        gnet.set_timeout(_raise, 1, Boom('no run'))
        gnet.set_timeout(done.set, 10)
        assert done.wait(WAIT)
    assert [str(err) for err, _ in handled] == ['no run']
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.timeout(10)
def test_a_spawned_greenlets_exception_has_origin_unhandled_rejection(handled):
    glet = gnet.spawn(_raise, Boom('spawned'))
    glet.join(WAIT)
    assert [(str(err), origin) for err, origin in handled] == [('spawned', 'unhandledRejection')]


@pytest.mark.timeout(10)
def test_unhandled_rejection_listeners_take_a_spawned_greenlets_exception(handled):
    rejections = []

    def on_rejection(reason, glet):
        rejections.append((reason, glet))
    process.on('unhandledRejection', on_rejection)
    try:
        glet = gnet.spawn(_raise, Boom('rejected'))
        glet.join(WAIT)
    finally:
        process.remove_listener('unhandledRejection', on_rejection)
    assert [(str(r), g) for r, g in rejections] == [('rejected', glet)]
    assert not handled


@pytest.mark.timeout(20)
def test_run_may_be_called_again_after_it_raised():
    """Without a handler run() raises (Node would crash); a second run() serves on."""
    server = gnet.create_server(lambda conn: conn.end(b'served'))
    got = []

    def on_listening():
        client = gnet.connect(server.address()['port'], '127.0.0.1')
        client.on('data', got.append)
        client.on('close', lambda *_: server.close())
    gnet.set_timeout(_raise, 1, Boom('first run'))
    server.listen(0, '127.0.0.1', on_listening)
    with gevent.Timeout(WAIT), pytest.raises(Boom):
        gnet.run()
    with gevent.Timeout(WAIT):
        gnet.run()
    assert got == [b'served'] and not server.listening


def test_process_is_an_event_emitter_with_node_names():
    assert isinstance(process, gnet.EventEmitter)
    assert process.listenerCount('uncaughtException') == process.listener_count('uncaughtException')
    assert gnet.process is process


def _raise(exc):
    raise exc
