"""gnet.tls server session cache: 'newSession'/'resumeSession' and session_timeout, as node 20.

Checked with node 20 (TLS 1.2, tickets off on the client): a server with the
listeners emits 'newSession' (32-byte id, DER data, callback) on a full
handshake and holds 'secureConnection' (and the client's 'secureConnect')
until the callback is called; the next connection offering that id emits
'resumeSession' (id, callback) and resumes with the data returned, answered
at once or later.  callback(null, null), callback() or data that is no
session: a full handshake and a new 'newSession'.  callback(err): the
server's 'tlsClientError' with err, the client's ECONNRESET.  Without
listeners a session id does not resume (Node's contexts have no internal
cache); tickets resume without any event.  sessionTimeout: an int32 >= 0
(ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE), a TLS 1.2/1.3 ticket's lifetime hint.
"""

import json
import shutil
import ssl
import time

import gevent
import pytest
from gevent import socket as gsocket, subprocess
from gevent.event import AsyncResult

import gnet
import gnet.tls as tls
from net_helpers import WAIT, connect_options


_NO_TICKET = []


def no_ticket_context():
    """A client context offering no session ticket: the server gives a session id (one
    context for all: Python's ssl resumes a session only with the context that made it)."""
    if not _NO_TICKET:
        context = tls.create_secure_context({'max_version': 'TLSv1.2'})
        context.for_client().options |= ssl.OP_NO_TICKET
        _NO_TICKET.append(context)
    return _NO_TICKET[0]


def connect(server, session=None, context=None, events=None):
    """Connect, read to the end; returns (reused or the error's code, session)."""
    client = tls.connect(dict(connect_options(server), reject_unauthorized=False, session=session,
                              secure_context=context or no_ticket_context()))
    got = AsyncResult()
    client.on('secureConnect', lambda: (events is not None and events.append('secureConnect'),
                                        got.set(client.is_session_reused())))
    client.on('error', lambda err: got.set(getattr(err, 'code', err)))
    client.resume()
    result = got.get(timeout=WAIT)
    gnet.once(client, 'close', timeout=WAIT)
    return result, client.get_session()


def cached_server(tls_server, answer=None, store_later=False, events=None):
    """A server with a dict for its session cache; ``answer(id, cb, store)`` may replace the
    lookup; ``events`` gets what happens, in order."""
    events = [] if events is None else events
    store = {}

    def secure(conn):
        events.append(('secureConnection', conn.is_session_reused()))
        conn.end(b'hello')
    server = tls_server('tcp4', secure)

    def new_session(session_id, data, callback):
        events.append(('newSession', len(session_id)))
        store[session_id] = data
        if store_later:
            gnet.set_timeout(lambda: (events.append('newSession callback'), callback()), 20)
        else:
            callback()

    def resume_session(session_id, callback):
        events.append(('resumeSession', session_id in store))
        if answer is None:
            callback(None, store.get(session_id))
        else:
            answer(session_id, callback, store)
    server.on('newSession', new_session)
    server.on('resumeSession', resume_session)
    server.on('tlsClientError', lambda err, sock: events.append(('tlsClientError', err)))
    return server, events


def test_a_dict_cache_resumes_a_tls12_session_on_both_ends(tls_server):
    reused_on_server = []
    server, events = cached_server(tls_server)
    server.on('secureConnection', lambda conn: reused_on_server.append(conn.is_session_reused()))
    reused, session = connect(server)
    assert reused is False and session is not None
    reused, _ = connect(server, session)
    assert reused is True and reused_on_server == [False, True]
    assert events == [('newSession', 32), ('secureConnection', False),
                      ('resumeSession', True), ('secureConnection', True)]


def test_asynchronous_answers_and_secure_events_wait_for_new_session(tls_server):
    def later(session_id, callback, store):
        gnet.set_timeout(lambda: callback(None, store.get(session_id)), 20)
    events = []
    server, _ = cached_server(tls_server, answer=later, store_later=True, events=events)
    _, session = connect(server, events=events)
    # as node: the server's 'secureConnection' and the client's 'secureConnect' come after
    # the 'newSession' callback (the server's last flight was held for it)
    assert events[:3] == [('newSession', 32), 'newSession callback', ('secureConnection', False)]
    assert 'secureConnect' in events[3:]
    reused, _ = connect(server, session)
    assert reused is True and ('resumeSession', True) in events


def test_an_answer_from_another_greenlet(tls_server):
    def elsewhere(session_id, callback, store):
        gevent.spawn(lambda: (gevent.sleep(0.01), callback(None, store[session_id])))
    server, _ = cached_server(tls_server, answer=elsewhere)
    _, session = connect(server)
    assert connect(server, session)[0] is True


@pytest.mark.parametrize('reply', [(None, None), (), (None, b'INVALID SESSION')])
def test_a_miss_is_a_full_handshake_and_a_new_session(tls_server, reply):
    server, events = cached_server(tls_server, answer=lambda i, cb, store: cb(*reply))
    _, session = connect(server)
    reused, _ = connect(server, session)
    assert reused is False
    assert events == [('newSession', 32), ('secureConnection', False),
                      ('resumeSession', True), ('newSession', 32), ('secureConnection', False)]


def test_an_error_in_the_callback_is_the_servers_tls_client_error(tls_server):
    failure = RuntimeError('boom')
    server, events = cached_server(tls_server, answer=lambda i, cb, store: cb(failure))
    _, session = connect(server)
    result, _ = connect(server, session)
    assert result == 'ECONNRESET'
    assert events[-1] == ('tlsClientError', failure)


def test_a_second_answer_is_err_multiple_callback(tls_server):
    def twice(session_id, callback, store):
        callback(None, None)
        callback(None, None)
    server, events = cached_server(tls_server, answer=twice)
    _, session = connect(server)
    connect(server, session)
    errors = [event[1] for event in events if event[0] == 'tlsClientError']
    assert [err.code for err in errors] == ['ERR_MULTIPLE_CALLBACK']


def test_without_listeners_a_session_id_does_not_resume_and_tickets_do(tls_server):
    server = tls_server('tcp4', lambda conn: conn.end(b'hello'))
    _, session = connect(server)
    assert connect(server, session)[0] is False  # as node: no internal session cache
    ticket_context = tls.create_secure_context({'max_version': 'TLSv1.2'})
    _, session = connect(server, context=ticket_context)
    assert session.has_ticket and connect(server, session, ticket_context)[0] is True


def test_tickets_emit_no_session_events(tls_server):
    server, events = cached_server(tls_server)
    ticket_context = tls.create_secure_context({'max_version': 'TLSv1.2'})
    _, session = connect(server, context=ticket_context)
    assert connect(server, session, ticket_context)[0] is True
    assert events == [('secureConnection', False), ('secureConnection', True)]


NODE_CLIENT = r'''
const tls = require('tls'), crypto = require('crypto');
const port = +process.argv[1], out = [];
const go = (session, n) => {
  const c = tls.connect({port, host: '127.0.0.1', rejectUnauthorized: false, session,
    maxVersion: 'TLSv1.2', secureOptions: crypto.constants.SSL_OP_NO_TICKET});
  let saved = null;
  c.on('session', (s) => { saved = s; });
  c.on('secureConnect', () => out.push(c.isSessionReused()));
  c.resume();
  c.on('close', () => n === 1 ? go(saved, 2) : console.log(JSON.stringify(out)));
};
go(undefined, 1);
'''


@pytest.mark.skipif(shutil.which('node') is None, reason='node is not installed')
def test_a_node_client_resumes_through_the_external_cache(tls_server):
    server, events = cached_server(tls_server)
    proc = subprocess.Popen(['node', '-e', NODE_CLIENT, str(server.address()['port'])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=WAIT * 2)  # gevent's: the server serves meanwhile
    assert json.loads(out) == [False, True], err
    assert ('resumeSession', True) in events


# -- session_timeout ---------------------------------------------------------------------------
@pytest.mark.parametrize('value, code', [(-1, 'ERR_OUT_OF_RANGE'), (1.5, 'ERR_OUT_OF_RANGE'),
                                         (2 ** 31, 'ERR_OUT_OF_RANGE'), ('5', 'ERR_INVALID_ARG_TYPE'),
                                         (True, 'ERR_INVALID_ARG_TYPE')])
def test_session_timeout_is_validated_as_node(pki, value, code):
    with pytest.raises(Exception) as caught:
        tls.create_secure_context({'key': pki.leaf.key, 'cert': pki.leaf.chain, 'session_timeout': value})
    assert caught.value.code == code
    with pytest.raises(Exception) as caught:
        tls.create_server({'key': pki.leaf.key, 'cert': pki.leaf.chain, 'sessionTimeout': value})
    assert caught.value.code == code


def test_a_falsy_session_timeout_is_ignored_by_the_server(pki):
    for value in (0, None, float('nan')):
        tls.create_server({'key': pki.leaf.key, 'cert': pki.leaf.chain, 'session_timeout': value})


@pytest.mark.parametrize('version', ['TLSv1.2', 'TLSv1.3'])
def test_session_timeout_is_the_tickets_lifetime_and_expires_sessions(tls_server, version):
    server = tls_server('tcp4', lambda conn: conn.end(b'hello'), session_timeout=1)
    context = tls.create_secure_context({'max_version': version})
    sessions = []
    client = tls.connect(dict(connect_options(server), reject_unauthorized=False,
                              secure_context=context))
    client.on('session', sessions.append)
    client.resume()
    gnet.once(client, 'close', timeout=WAIT)
    session = sessions[-1]
    assert session.ticket_lifetime_hint == 1
    assert connect(server, session, context)[0] is True
    # OpenSSL counts whole seconds: the session is expired once now - time > timeout. The
    # client stamps its copy when it builds the hello, the server when it reads it, which
    # can be one second later on a loaded machine: wait three whole seconds, not two
    deadline = time.monotonic() + 4.5
    while int(time.time()) <= session.time + 2 and time.monotonic() < deadline:
        gevent.sleep(0.05)
    assert connect(server, session, context)[0] is False


def test_tls13_new_sessions_come_after_secure_connection(tls_server):
    # as node 20: TLS 1.3's tickets come after the handshake, so 'newSession' (once per
    # ticket) follows 'secureConnection'; the ClientHello's 32-byte compatibility session id
    # is looked up, and a ticket resumes whatever the answer
    server, events = cached_server(tls_server)
    context = tls.create_secure_context({})
    sessions = []
    client = tls.connect(dict(connect_options(server), reject_unauthorized=False,
                              secure_context=context))
    client.on('session', sessions.append)
    client.resume()
    gnet.once(client, 'close', timeout=WAIT)
    assert events[:3] == [('resumeSession', False), ('secureConnection', False), ('newSession', 32)]
    assert connect(server, sessions[-1], context)[0] is True


def test_nothing_after_the_hello_is_read_while_resume_session_waits(tls_server):
    """A client streaming bytes behind its ClientHello while the listener has not
    answered is not buffered: the server stops reading until the answer."""
    answers = []
    failures = AsyncResult()
    server = tls_server('tcp4')
    server.on('resumeSession', lambda session_id, callback: answers.append(callback))
    server.on('newSession', lambda session_id, data, callback: callback())
    server.on('tlsClientError', lambda err, sock: failures.set(err))
    accepted = []
    server.on('connection', accepted.append)
    outgoing, incoming = ssl.MemoryBIO(), ssl.MemoryBIO()
    hello_maker = ssl.create_default_context().wrap_bio(incoming, outgoing, server_hostname='localhost')
    with pytest.raises(ssl.SSLWantReadError):
        hello_maker.do_handshake()
    hello = outgoing.read()  # TLS 1.3: a ClientHello with a compatibility session id
    raw = gsocket.create_connection(('127.0.0.1', server.address()['port']))
    try:
        raw.setblocking(False)
        raw.sendall(hello)
        deadline = time.monotonic() + WAIT
        while not answers and time.monotonic() < deadline:
            gevent.sleep(0.01)
        assert answers, 'no resumeSession'
        sent = 0
        junk = b'\x17\x03\x03\x40\x00' + bytes(16384)
        blocked = 0
        while sent < 8 << 20 and blocked < 20:  # up to 8 MiB behind the hello, letting the
            try:                                # server run, until the kernel buffers stay full
                sent += raw.send(junk)
                blocked = 0
            except BlockingIOError:
                blocked += 1
                gevent.sleep(0.005)
        handle = accepted[0]._handle
        held = len(handle.hello_parser._buffer)
        assert held <= len(hello) + 65536 + 256, held  # the hello and at most one read
        assert sent > held + 65536  # the rest waits in the kernel, pushing back on the client
        answers[0](None, None)
        err = failures.get(timeout=WAIT)  # the junk is no handshake: OpenSSL says so
        assert err.code.startswith('ERR_SSL_')
    finally:
        raw.close()


# -- the client's session option: bytes, as Node's Buffer -------------------------------------
NODE_SESSION = r'''
const tls = require('tls');
const c = tls.connect({port: +process.argv[1], host: '127.0.0.1', rejectUnauthorized: false,
                       maxVersion: process.argv[2]});
c.once('session', (s) => { console.log(s.toString('hex')); c.end(); });
c.resume();
'''


@pytest.mark.skipif(shutil.which('node') is None, reason='node is not installed')
@pytest.mark.parametrize('version', ['TLSv1.2', 'TLSv1.3'])
def test_a_session_saved_by_a_node_client_resumes_in_a_gnet_client(tls_server, version):
    """Node's session Buffer (a DER SSL_SESSION) is what ``session`` takes as bytes."""
    server = tls_server('tcp4', max_version=version)
    proc = subprocess.Popen(['node', '-e', NODE_SESSION, str(server.address()['port']), version],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=WAIT * 2)
    saved = bytes.fromhex(out.strip())
    assert saved, err
    client = tls.connect(dict(connect_options(server), reject_unauthorized=False, session=saved,
                              max_version=version))
    gnet.once(client, 'secureConnect', timeout=WAIT)
    assert client.is_session_reused() is True and client.get_protocol() == version
    client.destroy()


def test_a_session_option_that_is_no_session_is_a_full_handshake_or_a_type_error(tls_server):
    server = tls_server('tcp4')
    client = tls.connect(dict(connect_options(server), reject_unauthorized=False, session=b'junk'))
    gnet.once(client, 'secureConnect', timeout=WAIT)  # as node: junk bytes are ignored
    assert client.is_session_reused() is False
    client.destroy()
    with pytest.raises(TypeError) as info:
        tls.connect(dict(connect_options(server), session='not bytes'))
    assert info.value.code == 'ERR_INVALID_ARG_TYPE' and str(info.value) == 'Session must be a buffer'
