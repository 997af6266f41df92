"""Exceptions raised by user listeners ('connection', 'data', 'end', 'close').

Guarantee (docs/reliability.md, "Listener exceptions"): the socket whose
listener raised is destroyed; in a gevent program that does not call
``gnet.run()`` the exception is logged on the ``gnet`` logger and the server
keeps accepting; under ``gnet.run()`` it is raised out of ``run()`` (where
Node's process would crash), and calling ``run()`` again carries on serving.
"""

import logging

import gevent
import pytest

import gnet
from net_helpers import WAIT, wait_close

EVENTS = ['connection', 'data', 'end', 'close']


class Boom(Exception):
    """The exception the listener under test raises."""


def make_server(event, raised, accepted):
    """An echo server whose first connection's ``event`` listener raises Boom."""
    def on_connection(conn):
        first = not accepted
        accepted.append(conn)
        conn.on('error', lambda err: None)  # the reset peer must not add an uncaught error

        def boom(*args):
            raised.append(event)
            raise Boom('%s listener' % event)
        if first and event == 'connection':
            boom()
        if first and event != 'connection':
            conn.on(event, boom)
        conn.on('data', conn.write)
        conn.on('end', conn.end)
    server = gnet.create_server({'allow_half_open': True}, on_connection)
    return server


def round_trip(server, payload=b'ping'):
    """Connect, send ``payload``, half-close; returns (echoed bytes, client)."""
    client = gnet.connect(server.address()['port'], '127.0.0.1')
    client.on('error', lambda err: None)
    got = []
    client.on('data', got.append)
    client.end(payload)
    wait_close(client)
    return b''.join(got), client


def wait_for(predicate, timeout=WAIT):
    """Poll a condition that has no event of its own (a log record appearing)."""
    with gevent.Timeout(timeout, False):
        while not predicate():
            gevent.sleep(0.002)
    return predicate()


@pytest.mark.timeout(20)
@pytest.mark.parametrize('event', EVENTS)
def test_without_run_the_exception_is_logged_and_serving_goes_on(event, caplog):
    raised, accepted = [], []
    server = make_server(event, raised, accepted)
    server.listen(0, '127.0.0.1')
    gnet.once(server, 'listening', timeout=WAIT)
    try:
        with caplog.at_level(logging.ERROR, logger='gnet'):
            first, _ = round_trip(server)
            assert wait_for(lambda: raised), 'the %s listener never ran' % event
            conn = accepted[0]
            wait_close(conn)
            assert conn.destroyed
            assert wait_for(lambda: any(r.exc_info and r.exc_info[0] is Boom
                                        for r in caplog.records))
        booms = [r for r in caplog.records if r.exc_info and r.exc_info[0] is Boom]
        assert len(booms) == 1
        assert booms[0].name.startswith('gnet')
        if event in ('end', 'close'):
            assert first == b'ping'  # it raised after the echo was sent
        second, _ = round_trip(server, b'still serving')
        assert second == b'still serving'
        assert len(accepted) == 2
    finally:
        server.close()
        gnet.once(server, 'close', timeout=WAIT)


@pytest.mark.timeout(20)
@pytest.mark.parametrize('event', EVENTS)
def test_under_run_the_exception_leaves_run_and_run_resumes(event):
    raised, accepted = [], []
    server = make_server(event, raised, accepted)
    server.listen(0, '127.0.0.1')
    results = []

    def client(payload):
        client = gnet.connect(server.address()['port'], '127.0.0.1')
        client.on('error', lambda err: None)
        got = []
        client.on('data', got.append)
        client.on('close', lambda *a: results.append(b''.join(got)))
        client.end(payload)
    server.on('listening', lambda: client(b'first'))
    try:
        with gevent.Timeout(WAIT):
            with pytest.raises(Boom):
                gnet.run()
        assert raised == [event]
        conn = accepted[0]
        assert conn.destroyed, 'the socket whose listener raised was not destroyed'

        def after_second(*_):
            server.close()
        client(b'second')
        accepted_before = len(accepted)
        server.once('connection', lambda c: c.on('close', after_second))
        with gevent.Timeout(WAIT):
            gnet.run()   # serves the second client, then returns: nothing referenced is left
        assert len(accepted) == accepted_before + 1
        assert results[-1] == b'second'
        assert not server.listening
        assert conn._writable_state.close_emitted
    finally:
        for conn in accepted:
            conn.destroy()
        if server.listening:
            server.close()
