"""net.Socket connect: every form, lookup, errors, happy eyeballs.

Ports the behaviours of Node's test/parallel/ files:
test-net-connect-options-port.js, test-net-connect-options-path.js,
test-net-connect-no-arg.js, test-net-connect-immediate-finish.js,
test-net-connect-call-socket-connect.js, test-net-connect-after-destroy.js,
test-net-connect-destroy.js, test-net-connect-paused-connection.js,
test-net-better-error-messages-port.js, test-net-better-error-messages-path.js,
test-net-dns-lookup.js, test-net-dns-custom-lookup.js, test-net-dns-error.js,
test-net-connect-reset-until-connected.js, test-net-socket-ready-without-cb.js,
test-net-socket-connecting.js, test-net-pingpong.js (order of events),
test-net-autoselectfamily.js (attempt events), test-net-blocklist.js,
test-net-write-connect-write.js, test-net-connect-options-allowhalfopen.js.
"""

import errno
import os
import socket
import sys

import _socket
import gevent
import pytest
from gevent.event import Event
from gevent.resolver.thread import Resolver as ThreadResolver

import gnet
from gnet import errors
from gnet.net.handles.pipe import PipeHandle
from gnet.net.handles.tcp import TCPHandle
from net_helpers import (TRANSPORTS, WAIT, collect, connect_options, echo, errors_until_close,
                         out_of_descriptors, serving, wait_close)


def closed_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize('transport', TRANSPORTS)
def test_C1_connect_then_ready_and_writes_while_connecting_flush_in_order(transport, tmp_path):
    with serving(transport, echo, tmp_path) as server:
        order = []
        sock = gnet.Socket()
        sock.on('connect', lambda: order.append('connect'))
        sock.on('ready', lambda: order.append('ready'))
        chunks, ended = collect(sock)
        sock.connect(connect_options(server))
        assert sock.connecting is True and sock.pending is True
        assert sock.ready_state == 'opening'
        for n in range(20):
            sock.write(b'%d,' % n)
        sock.end()
        assert order == []  # never inside connect()
        assert ended.wait(WAIT)
        assert order == ['connect', 'ready']
        assert b''.join(chunks) == b''.join(b'%d,' % n for n in range(20))
        wait_close(sock)


@pytest.mark.parametrize('form', ['options', 'port-host', 'port-host-cb', 'port-string'])
def test_connect_signatures_tcp(form):
    with serving('tcp4', echo) as server:
        port = server.address()['port']
        called = Event()
        if form == 'options':
            sock = gnet.connect({'port': port, 'host': '127.0.0.1'}, called.set)
        elif form == 'port-host':
            sock = gnet.createConnection(port, '127.0.0.1')
            sock.on('connect', called.set)
        elif form == 'port-host-cb':
            sock = gnet.create_connection(port, '127.0.0.1', called.set)
        else:
            sock = gnet.connect(str(port), '127.0.0.1', called.set)
        assert called.wait(WAIT)
        assert sock.remote_port == port and sock.remote_address == '127.0.0.1'
        assert sock.remote_family == 'IPv4' and sock.local_address == '127.0.0.1'
        sock.destroy()


def test_connect_path_signature(tmp_path):
    with serving('ipc', echo, tmp_path) as server:
        called = Event()
        sock = gnet.connect(server.address(), called.set)
        assert called.wait(WAIT)
        assert sock.remote_address is None
        sock.destroy()


def test_connect_with_keyword_options():
    with serving('tcp4', echo) as server:
        sock = gnet.connect(port=server.address()['port'], host='127.0.0.1')
        gnet.once(sock, 'connect', timeout=WAIT)
        sock.destroy()


def test_connect_refused_is_error_then_close_with_node_fields():
    port = closed_port()
    sock = gnet.connect(port, '127.0.0.1')
    events = []
    sock.on('error', lambda e: events.append(('error', e)))
    sock.on('close', lambda had_error: events.append(('close', had_error)))
    wait_close(sock)
    assert [e[0] for e in events] == ['error', 'close']
    err = events[0][1]
    assert isinstance(err, errors.SysError) and isinstance(err, OSError)
    assert err.code == 'ECONNREFUSED' and err.errno == errno.ECONNREFUSED
    assert err.syscall == 'connect' and err.address == '127.0.0.1' and err.port == port
    assert str(err) == 'connect ECONNREFUSED 127.0.0.1:%d' % port
    assert events[1][1] is True


def test_a_refused_connect_is_caught_by_except_connection_refused_error():
    """API.md section 3: a SysError is also the builtin the stdlib raises for its errno."""
    port = closed_port()
    sock = gnet.connect(port, '127.0.0.1')
    try:
        gnet.once(sock, 'close', timeout=WAIT)  # raises the 'error' that comes first
    except ConnectionRefusedError as err:
        caught = err
    else:
        pytest.fail('no error before close')
    assert isinstance(caught, errors.SysError) and isinstance(caught, errors.NodeError)
    assert caught.code == 'ECONNREFUSED' and caught.errno == errno.ECONNREFUSED
    assert caught.syscall == 'connect' and caught.port == port
    assert str(caught) == 'connect ECONNREFUSED 127.0.0.1:%d' % port
    assert wait_close(sock) in (True, None)  # None: it had closed already


def test_connect_missing_socket_file_is_enoent(tmp_path):
    sock = gnet.connect(str(tmp_path / 'missing.sock'))
    (err,) = _first_error(sock)
    assert err.code == 'ENOENT' and err.syscall == 'connect'
    assert isinstance(err, FileNotFoundError)  # as the stdlib's connect would raise
    assert err.address == str(tmp_path / 'missing.sock')


@pytest.mark.parametrize('name', ['/tmp/' + 'x' * 120, '\0' + 'y' * 108, b'/tmp/' + b'z' * 103])
def test_connect_to_a_name_too_long_for_sun_path_is_an_einval_event(name):
    """Node 22 (test-net-pipe-with-long-path.js): 'error' EINVAL, never a truncated name."""
    sock = gnet.connect({'path': name})
    closed = []
    sock.on('close', closed.append)
    (err,) = _first_error(sock)
    assert (err.code, err.errno, err.syscall) == ('EINVAL', errno.EINVAL, 'connect')
    assert err.address == os.fsdecode(name) and str(err) == 'connect EINVAL ' + os.fsdecode(name)
    assert closed == [True]


def test_connect_in_a_missing_directory_is_enoent(tmp_path):
    (err,) = _first_error(gnet.connect(str(tmp_path / 'missing' / 'x.sock')))
    assert (err.code, err.syscall) == ('ENOENT', 'connect')


def _first_error(sock):
    return errors_until_close(sock)


def test_unknown_host_is_enotfound_with_lookup_event():
    sock = gnet.connect(80, 'no-such-host.invalid')
    lookups = []
    sock.on('lookup', lambda *args: lookups.append(args))
    (err,) = _first_error(sock)
    assert err.code == 'ENOTFOUND' and err.syscall == 'getaddrinfo'
    assert lookups and lookups[0][0] is err and lookups[0][3] == 'no-such-host.invalid'


def _lookup_failure(host):
    """``(lookup event args, error)`` of a connect to ``host`` that cannot resolve."""
    sock = gnet.connect(42, host)
    lookups = []
    sock.on('lookup', lambda *args: lookups.append(args))
    (err,) = _first_error(sock)
    return lookups, err


@pytest.mark.parametrize('host, code', [
    ('*' * 64, 'ENOTFOUND'),           # test-net-dns-error.js: a label over 63 characters
    ('x' * 256, 'EINVAL'),             # longer than libuv's 255-byte name
    ('a\ud800b', 'EINVAL'),            # not Unicode (a lone surrogate)
])
def test_a_name_python_idna_refuses_fails_as_nodes_lookup_and_prints_nothing(host, code, capfd):
    """As node v20: 'lookup' (err, None, None, host) then 'error', the same
    getaddrinfo error with Node's fields; gevent's thread pool prints no traceback."""
    lookups, err = _lookup_failure(host)
    assert (err.code, err.syscall, err.hostname) == (code, 'getaddrinfo', host)
    assert str(err) == 'getaddrinfo %s %s' % (code, host)
    assert lookups == [(err, None, None, host)]
    assert capfd.readouterr().err == ''


def _fake_resolver(monkeypatch, port):
    """Make the default lookup's resolver answer 127.0.0.1; return the calls it got."""
    from gevent import get_hub
    calls = []

    def getaddrinfo(host, port_, family, type_, proto, flags):
        calls.append((host, flags))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, '', ('127.0.0.1', port))]
    monkeypatch.setattr(get_hub().resolver, 'getaddrinfo', getaddrinfo)
    return calls


@pytest.mark.parametrize('options, name, flags', [
    ({'host': 'bücher.test'}, b'xn--bcher-kva.test', socket.AI_ADDRCONFIG),
    ({'host': 'a\u3002b.test', 'family': 4}, b'a.b.test', 0),
    ({'host': 'plain.test', 'hints': socket.AI_V4MAPPED, 'family': 6}, b'plain.test',
     socket.AI_V4MAPPED),
])
def test_the_default_lookup_gets_libuvs_ascii_name_and_nodes_hints(monkeypatch, options, name, flags):
    """Non-ASCII labels become punycode, other dots are dots (libuv); hints 0 with
    no family is ADDRCONFIG (Node's lookupAndConnect)."""
    with serving('tcp4', echo) as server:
        calls = _fake_resolver(monkeypatch, server.address()['port'])
        sock = gnet.connect(dict(options, port=server.address()['port'], auto_select_family=False))
        gnet.once(sock, 'connect', timeout=WAIT)
        assert calls == [(name, flags)]
        sock.destroy()


@pytest.mark.parametrize('options, hints', [
    ({}, socket.AI_ADDRCONFIG),
    ({'family': 4}, 0),
    ({'hints': socket.AI_ALL}, socket.AI_ALL),
    ({'hints': 98}, 98),               # a custom lookup is given hints unchecked, as in Node
    ({'hints': 'x'}, 'x'),
])
def test_a_custom_lookup_gets_nodes_hints(options, hints):
    seen = []
    sock = gnet.connect(dict(options, port=80, host='x.test',
                             lookup=lambda host, opts, cb: seen.append(opts['hints'])))
    assert seen == [hints]
    sock.destroy()


@pytest.mark.parametrize('hints, code, message', [
    (98, 'ERR_INVALID_ARG_VALUE', "The argument 'hints' is invalid. Received 98"),
    (-1, 'ERR_INVALID_ARG_VALUE', "The argument 'hints' is invalid. Received 4294967295"),
    (1.5, 'ERR_INVALID_ARG_VALUE', "The argument 'hints' is invalid. Received 1"),
    ('8', 'ERR_INVALID_ARG_TYPE', 'The "options.hints" property must be of type number.'),
])
def test_the_default_lookup_rejects_bad_hints_synchronously(hints, code, message):
    """test-net-connect-options-port.js: Node's dns.lookup rule, thrown by connect()."""
    sock = gnet.Socket()
    with pytest.raises(errors.NodeError) as info:
        sock.connect({'port': 80, 'host': 'x.test', 'hints': hints})
    assert info.value.code == code and str(info.value).startswith(message)
    assert isinstance(info.value, TypeError)
    sock.destroy()


def test_a_list_given_to_connect_is_options_without_a_port():
    """test-net-normalize-args.js: an array is an object to Node's normalizeArgs."""
    sock = gnet.Socket()
    with pytest.raises(errors.ERR_MISSING_ARGS):
        sock.connect([{'port': 80}, lambda: None])
    assert sock.listener_count('connect') == 0 and not sock.connecting
    sock.destroy()


def test_localhost_lookup_event_and_attempt_events():
    with serving('tcp4', echo) as server:
        port = server.address()['port']
        sock = gnet.Socket()
        events = []
        sock.on('lookup', lambda *a: events.append(('lookup',) + a))
        sock.on('connectionAttempt', lambda *a: events.append(('attempt',) + a))
        sock.on('connectionAttemptFailed', lambda *a: events.append(('failed',) + a[:3]))
        sock.connect({'port': port, 'host': 'localhost', 'family': 4})
        gnet.once(sock, 'connect', timeout=WAIT)
        assert events[0] == ('lookup', None, '127.0.0.1', 4, 'localhost')
        assert ('attempt', '127.0.0.1', port, 4) in events
        sock.destroy()


def test_custom_lookup_sync_fires_lookup_inside_connect():
    with serving('tcp4', echo) as server:
        port = server.address()['port']
        seen = []

        def lookup(host, opts, cb):
            seen.append((host, sorted(opts)))
            cb(None, '127.0.0.1', 4)
        sock = gnet.Socket()
        sock.on('lookup', lambda *a: seen.append(('event',) + a))
        sock.connect({'port': port, 'host': 'example.test', 'lookup': lookup,
                      'autoSelectFamily': False})
        assert seen[0] == ('example.test', ['all', 'family', 'hints'])
        assert seen[1] == ('event', None, '127.0.0.1', 4, 'example.test')
        gnet.once(sock, 'connect', timeout=WAIT)
        sock.destroy()


def test_custom_lookup_all_and_async_answer():
    with serving('tcp4', echo) as server:
        port = server.address()['port']

        def lookup(host, opts, cb):
            assert opts['all'] is True
            gnet.set_timeout(cb, 1, None, [{'address': '127.0.0.1', 'family': 4}])
        sock = gnet.connect({'port': port, 'host': 'x.test', 'lookup': lookup,
                             'auto_select_family': True})
        gnet.once(sock, 'connect', timeout=WAIT)
        sock.destroy()


def test_custom_lookup_error_is_emitted():
    err = errors.NodeError('nope', code='ENOTFOUND')
    sock = gnet.connect({'port': 80, 'host': 'x.test', 'lookup': lambda h, o, cb: cb(err)})
    assert _first_error(sock) == [err]


@pytest.mark.parametrize('auto', [False, True])
def test_a_lookup_answering_another_family_is_an_error_event(auto):
    """test-net-options-lookup.js: family 100 is ERR_INVALID_ADDRESS_FAMILY, emitted, not raised."""
    def lookup(host, opts, cb):
        if opts['all']:
            cb(None, [{'address': '127.0.0.1', 'family': 100}])
        else:
            cb(None, '127.0.0.1', 100)
    sock = gnet.connect({'host': 'localhost', 'port': 0, 'lookup': lookup,
                         'auto_select_family': auto})
    (err,) = _first_error(sock)
    assert err.code == 'ERR_INVALID_ADDRESS_FAMILY' and err.name == 'RangeError'
    assert isinstance(err, ValueError)
    assert (err.host, err.port) == ('localhost', 0)
    assert str(err) == 'Invalid address family: 100 localhost:0'


@pytest.mark.parametrize('family', [None, '4', 'IPv4', True, 0])
def test_a_lookup_family_must_be_the_number_4_or_6(family):
    sock = gnet.connect({'host': 'x.test', 'port': 9, 'lookup': lambda h, o, cb: cb(None, '127.0.0.1', family),
                         'auto_select_family': False})
    (err,) = _first_error(sock)
    assert err.code == 'ERR_INVALID_ADDRESS_FAMILY'


def test_auto_selecting_skips_answers_with_a_bad_family_or_address():
    with serving('tcp4', echo) as server:
        port = server.address()['port']
        answers = [{'address': 'nope', 'family': 4}, {'address': '127.0.0.1', 'family': 100},
                   {'address': '127.0.0.1', 'family': 4}]
        sock = gnet.Socket()
        lookups = []
        sock.on('lookup', lambda *event: lookups.append(event))
        sock.connect({'host': 'x.test', 'port': port, 'auto_select_family': True,
                      'lookup': lambda h, o, cb: cb(None, answers)})
        gnet.once(sock, 'connect', timeout=WAIT)
        assert [event[1:3] for event in lookups] == [(a['address'], a['family']) for a in answers]
        sock.destroy()


def test_with_nothing_valid_the_first_answer_names_the_error():
    answers = [{'address': 'nope', 'family': 4}, {'address': '127.0.0.1', 'family': 7}]
    sock = gnet.connect({'host': 'x.test', 'port': 9, 'auto_select_family': True,
                         'lookup': lambda h, o, cb: cb(None, answers)})
    (err,) = _first_error(sock)
    assert err.code == 'ERR_INVALID_IP_ADDRESS' and str(err) == 'Invalid IP address: nope'


def test_the_attempt_timeout_is_at_least_10_ms():
    before = gnet.get_default_auto_select_family_attempt_timeout()
    try:
        for value in (1, 9):
            gnet.set_default_auto_select_family_attempt_timeout(value)
            assert gnet.get_default_auto_select_family_attempt_timeout() == 10
        gnet.set_default_auto_select_family_attempt_timeout(300.0)  # an integral number
        assert gnet.get_default_auto_select_family_attempt_timeout() == 300
    finally:
        gnet.set_default_auto_select_family_attempt_timeout(before)


@pytest.mark.parametrize('value, code, message', [
    ('x', 'ERR_INVALID_ARG_TYPE', 'The "options.autoSelectFamily" property must be of type boolean.'),
    (0, 'ERR_INVALID_ARG_TYPE', 'The "options.autoSelectFamily" property must be of type boolean.'),
])
def test_auto_select_family_must_be_a_boolean(value, code, message):
    with pytest.raises(errors.NodeError) as caught:
        gnet.connect({'port': 80, 'auto_select_family': value})
    assert caught.value.code == code and str(caught.value).startswith(message)


@pytest.mark.parametrize('value, range_', [
    (0, '>= 1 && <= 2147483647'), (-10, '>= 1 && <= 2147483647'), (1.5, 'an integer'),
    (float('nan'), 'an integer'), (float('inf'), 'an integer'),
])
def test_attempt_timeout_is_an_int32_of_at_least_1(value, range_):
    for call in (lambda: gnet.connect({'port': 80, 'auto_select_family_attempt_timeout': value}),
                 lambda: gnet.set_default_auto_select_family_attempt_timeout(value)):
        with pytest.raises(errors.ERR_OUT_OF_RANGE) as caught:
            call()
        assert 'It must be %s.' % range_ in str(caught.value)


def test_happy_eyeballs_tries_the_next_address_and_aggregates_failures():
    port = closed_port()
    with serving('tcp4', echo) as server:
        good = server.address()['port']
        addresses = [{'address': '127.0.0.1', 'family': 4}]

        def lookup(host, opts, cb):
            cb(None, addresses)
        # two refused attempts, one AggregateError
        addresses[:] = [{'address': '127.0.0.1', 'family': 4}, {'address': '127.0.0.2', 'family': 4}]
        sock = gnet.connect({'port': port, 'host': 'multi.test', 'lookup': lookup,
                             'auto_select_family': True})
        failed = []
        sock.on('connectionAttemptFailed', lambda *a: failed.append(a))
        (err,) = _first_error(sock)
        assert len(failed) == 2
        assert err.name == 'AggregateError' and len(err.errors) == 2
        assert all(e.code == 'ECONNREFUSED' for e in err.errors)
        del good


def test_block_list_refuses_to_connect():
    block = gnet.BlockList()
    block.add_address('127.0.0.1')
    with serving('tcp4', echo) as server:
        sock = gnet.connect({'port': server.address()['port'], 'host': '127.0.0.1',
                             'block_list': block})
        (err,) = _first_error(sock)
        assert err.code == 'ERR_IP_BLOCKED'


@pytest.mark.parametrize('bad', [-1, 65536, 1.5, 'abc', True, None, [1]])
def test_bad_ports_raise_synchronously(bad):
    sock = gnet.Socket()
    if bad is None:
        with pytest.raises(errors.ERR_MISSING_ARGS):
            sock.connect({'host': '127.0.0.1'})
    elif bad == 'abc':
        with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
            sock.connect({'port': bad})
    elif isinstance(bad, (bool, list)):
        with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
            sock.connect({'port': bad})
    else:
        with pytest.raises(errors.ERR_SOCKET_BAD_PORT) as info:
            sock.connect({'port': bad})
        assert isinstance(info.value, ValueError)
    sock.destroy()


def test_destroy_while_connecting_closes_without_error():
    with serving('tcp4', echo) as server:
        sock = gnet.connect(server.address()['port'], '127.0.0.1')
        events = []
        sock.on('connect', lambda: events.append('connect'))
        sock.on('error', lambda e: events.append('error'))
        sock.destroy()
        (had_error,) = gnet.once(sock, 'close', timeout=WAIT)
        assert had_error is False and events == []
        assert sock.destroyed and sock.ready_state == 'closed'


def test_reconnect_after_close():
    with serving('tcp4', echo) as server:
        port = server.address()['port']
        sock = gnet.connect(port, '127.0.0.1')
        gnet.once(sock, 'connect', timeout=WAIT)
        sock.destroy()
        gnet.once(sock, 'close', timeout=WAIT)
        sock.connect(port, '127.0.0.1')
        gnet.once(sock, 'connect', timeout=WAIT)
        chunks, ended = collect(sock)
        sock.end(b'again')
        assert ended.wait(WAIT)
        assert b''.join(chunks) == b'again'
        wait_close(sock)


def test_timeout_option_and_signal_abort():
    with serving('tcp4', echo) as server:
        ctl = gnet.AbortController()
        sock = gnet.connect({'port': server.address()['port'], 'host': '127.0.0.1',
                             'signal': ctl.signal})
        gnet.once(sock, 'connect', timeout=WAIT)
        ctl.abort()
        (err,) = _first_error(sock)
        assert err.code == 'ABORT_ERR' and err.name == 'AbortError'


def test_already_aborted_signal():
    sock = gnet.Socket({'signal': gnet.AbortSignal.abort()})
    (err,) = _first_error(sock)
    assert err.code == 'ABORT_ERR'


def test_local_address_and_port_bind():
    with serving('tcp4', echo) as server:
        sock = gnet.connect({'port': server.address()['port'], 'host': '127.0.0.1',
                             'local_address': '127.0.0.1'})
        gnet.once(sock, 'connect', timeout=WAIT)
        assert sock.local_address == '127.0.0.1'
        sock.destroy()
        with pytest.raises(errors.ERR_INVALID_IP_ADDRESS):
            gnet.Socket().connect({'port': 80, 'local_address': 'not-an-ip'})


def test_attempted_addresses_are_listed_by_a_multi_address_connect_only():
    """Node 20: ``autoSelectFamilyAttemptedAddresses`` stays undefined unless a
    connect tries several addresses (node prints undefined for this one)."""
    with serving('tcp4', echo) as server:
        accepted = []
        server.on('connection', accepted.append)
        port = server.address()['port']
        assert gnet.Socket().auto_select_family_attempted_addresses is None
        client = gnet.connect(port, '127.0.0.1')
        gnet.once(client, 'connect', timeout=WAIT)
        assert client.auto_select_family_attempted_addresses is None
        if not accepted:
            gnet.once(server, 'connection', timeout=WAIT)
        assert accepted[0].auto_select_family_attempted_addresses is None
        client.destroy()
        wait_close(client)


# -- out of descriptors: socket() itself fails -------------------------------------------------
def _events_until_close(sock):
    events = []
    for name in ('connectionAttempt', 'connectionAttemptFailed', 'connect', 'error'):
        sock.on(name, lambda *args, name=name: events.append((name,) + args))
    had_error = wait_close(sock)
    return events, had_error


def _no_socket(monkeypatch, code):
    """socket() fails with ``code`` (ENFILE: the system's table is full) for both transports."""
    def new(*_args):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(TCPHandle, 'new', classmethod(new))
    monkeypatch.setattr(PipeHandle, 'new', classmethod(new))


@pytest.mark.parametrize('code', ['EMFILE', 'ENFILE'])
@pytest.mark.parametrize('transport', TRANSPORTS)
def test_socket_failing_in_connect_is_an_error_event_then_close(transport, code, tmp_path,
                                                                monkeypatch):
    """Node 20 under ``ulimit -n``: 'connect EMFILE <address>' (TCP: after
    'connectionAttempt', with no 'connectionAttemptFailed'), then 'close'(true);
    nothing raised. The same socket connects once descriptors are back."""
    with serving(transport, echo, tmp_path) as server:
        options = connect_options(server)
        address = options.get('host', options.get('path'))
        sock = gnet.Socket()
        if code == 'ENFILE':
            with monkeypatch.context() as patch:
                _no_socket(patch, errno.ENFILE)
                sock.connect(options)
                events, had_error = _events_until_close(sock)
        else:
            with out_of_descriptors():
                sock.connect(options)
                events, had_error = _events_until_close(sock)
        *attempts, (name, err) = events
        if transport == 'ipc':
            assert attempts == []
        else:
            assert attempts == [('connectionAttempt', address, options['port'],
                                 4 if transport == 'tcp4' else 6)]
        assert name == 'error' and had_error is True
        assert isinstance(err, errors.SysError) and err.errno == getattr(errno, code)
        assert (err.code, err.syscall, err.address, err.port) == (code, 'connect', address,
                                                                  options.get('port'))
        assert str(err) == 'connect %s %s' % (code, address if transport == 'ipc'
                                              else '%s:%d' % (address, options['port']))
        sock.connect(options)  # a fresh handle: it works again
        gnet.once(sock, 'connect', timeout=WAIT)
        sock.destroy()
        wait_close(sock)


def test_socket_failing_when_binding_the_local_address_is_a_bind_error_before_any_attempt():
    """Node binds first: 'bind EMFILE 127.0.0.1' and no 'connectionAttempt'."""
    with serving('tcp4', echo) as server:
        sock = gnet.Socket()
        with out_of_descriptors():
            sock.connect(dict(connect_options(server), local_address='127.0.0.1'))
            events, had_error = _events_until_close(sock)
    [(name, err)] = events
    assert name == 'error' and had_error is True
    assert (err.code, err.syscall, err.address, err.port) == ('EMFILE', 'bind', '127.0.0.1', None)
    assert str(err) == 'bind EMFILE 127.0.0.1'


def test_a_bind_failure_names_the_local_end_as_node_does():
    """Node: 'bind EADDRINUSE 127.0.0.1:<localPort>', no attempt events (was a connect error)."""
    with serving('tcp4', echo) as server:
        port = server.address()['port']
        sock = gnet.Socket()
        sock.connect({'port': port, 'host': '127.0.0.1', 'local_address': '127.0.0.1',
                      'local_port': port})
        events, _ = _events_until_close(sock)
    [(name, err)] = events
    assert name == 'error' and str(err) == 'bind EADDRINUSE 127.0.0.1:%d' % port
    assert (err.syscall, err.address, err.port) == ('bind', '127.0.0.1', port)


@pytest.mark.parametrize('host, local', [('127.0.0.1', '::1'), ('::1', '127.0.0.1')])
def test_a_local_address_of_the_other_family_is_bind_einval(host, local):
    """Node 20: 'bind EINVAL ::1' (address set, no port), then 'close'(true), no attempt."""
    sock = gnet.Socket()
    sock.on('connectionAttempt', lambda *a: pytest.fail('an attempt after a failed bind'))
    sock.connect({'port': 9, 'host': host, 'local_address': local})
    events, had_error = _events_until_close(sock)
    [(name, err)] = events
    assert name == 'error' and had_error is True
    assert (err.code, err.syscall, err.address, err.port) == ('EINVAL', 'bind', local, None)
    assert str(err) == 'bind EINVAL ' + local


def test_socket_failing_for_each_looked_up_address_is_one_aggregate_error():
    """Several addresses (Node's internalConnectMultiple): each attempt fails at once
    ('connectionAttemptFailed' with the EMFILE), then one AggregateError."""
    def lookup(host, options, callback):
        gnet.set_immediate(lambda: callback(None, [{'address': '127.0.0.1', 'family': 4},
                                                   {'address': '127.0.0.2', 'family': 4}]))
    with serving('tcp4', echo) as server:
        port = server.address()['port']
        sock = gnet.Socket()
        with out_of_descriptors():
            sock.connect({'port': port, 'host': 'two.invalid', 'lookup': lookup,
                          'auto_select_family': True})
            events, had_error = _events_until_close(sock)
    assert [e[:3] for e in events[:-1]] == [
        ('connectionAttempt', '127.0.0.1', port), ('connectionAttemptFailed', '127.0.0.1', port),
        ('connectionAttempt', '127.0.0.2', port), ('connectionAttemptFailed', '127.0.0.2', port)]
    assert [e[4].code for e in events[:-1] if e[0] == 'connectionAttemptFailed'] == ['EMFILE'] * 2
    name, err = events[-1]
    assert name == 'error' and err.name == 'AggregateError' and had_error is True
    assert err.code == 'EMFILE' and [e.syscall for e in err.errors] == ['connect', 'connect']


def test_a_lookup_failing_out_of_descriptors_is_an_error_event_and_prints_nothing(monkeypatch,
                                                                                  capfd):
    """getaddrinfo's EAI_SYSTEM (an OSError: EMFILE) is Node's 'getaddrinfo EMFILE <host>'.
    gevent's thread resolver would print it and pickle its traceback -- importing pickle,
    which fails while out of descriptors (made unimportable here), and the connect hung."""
    if type(gevent.get_hub().resolver) is not ThreadResolver:
        pytest.skip("gevent's thread resolver only")

    def getaddrinfo(*_args):
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))
    monkeypatch.setattr(_socket, 'getaddrinfo', getaddrinfo)
    monkeypatch.setitem(sys.modules, 'pickle', None)
    sock = gnet.connect(80, 'localhost')
    lookups = []
    sock.on('lookup', lambda *args: lookups.append(args))
    events, had_error = _events_until_close(sock)
    [(name, err)] = events
    assert name == 'error' and had_error is True and lookups == [(err, None, None, 'localhost')]
    assert (err.code, err.errno, err.syscall, err.hostname) == ('EMFILE', errno.EMFILE,
                                                                'getaddrinfo', 'localhost')
    assert str(err) == 'getaddrinfo EMFILE localhost'
    assert capfd.readouterr() == ('', '')
