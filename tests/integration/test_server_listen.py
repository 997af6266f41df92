"""server.listen in every form: arguments, timing, hosts, paths, handles, signal, ref.

Ports the behaviours of Node's test/parallel/ files:
test-net-server-listen-options.js, test-net-listen-invalid-port.js,
test-net-server-listen-path.js, test-net-server-listen-handle.js,
test-net-listen-fd0.js, test-net-listen-ipv6only.js,
test-net-server-call-listen-multiple-times.js, test-net-listen-close-server.js,
test-net-listen-close-server-callback-is-not-function.js,
test-net-server-close-before-calling-lookup-callback.js,
test-net-server-listen-options-signal.js, test-net-server-unref.js,
test-net-server-unref-persistent.js, test-net-server-options.js,
test-net-server-address.js (the unspecified address is ``::``),
test-net-listening.js, test-net-server-listen-remove-callback.js,
test-net-dns-lookup.js (listen with a host name).
test-net-listen-after-destroying-stdin.js is not applicable (no process
stdin stream in gnet).  Faults (EADDRINUSE, stale paths, overlong paths,
out of descriptors) are in test_server_faults.py.
"""

import errno
import os
import socket
import stat
import time

import pytest
from gevent.event import AsyncResult, Event

import _socket
import gnet
from gnet import errors
from gnet.net.handles.listen import TCPListenHandle
from server_helpers import (WAIT, closed_event, make_harness, needs_ipv6, raw_connect,
                            recv_exactly, wait_for)


@pytest.fixture
def h(request, tmp_path):
    return make_harness(request, tmp_path, 'tcp4')


def listening(server):
    gnet.once(server, 'listening', timeout=WAIT)
    return server


def assert_serves(h, server, host='127.0.0.1'):
    """A raw client reaches ``server`` (whose connections echo) at ``host``, then leaves."""
    address = server.address()
    target = address if isinstance(address, str) else (host, address['port'])
    with raw_connect(target) as client:
        client.sendall(b'ping')
        assert recv_exactly(client, 4) == b'ping'


def echo_server(h, **options):
    return h.server(options, lambda conn: conn.pipe(conn))


# -- argument forms ------------------------------------------------------------------------
LISTEN_FORMS = {
    'listen()': lambda s, cb: s.listen().once('listening', cb),
    'listen(cb)': lambda s, cb: s.listen(cb),
    'listen(0)': lambda s, cb: s.listen(0).once('listening', cb),
    "listen('0', cb)": lambda s, cb: s.listen('0', cb),
    'listen(None, cb)': lambda s, cb: s.listen(None, cb),
    'listen({port: 0}, cb)': lambda s, cb: s.listen({'port': 0}, cb),
    "listen({port: '0'}, cb)": lambda s, cb: s.listen({'port': '0'}, cb),
    'listen({port: None}, cb)': lambda s, cb: s.listen({'port': None}, cb),
    'listen(port=0)': lambda s, cb: s.listen(port=0).once('listening', cb),
    'listen(0, host, cb)': lambda s, cb: s.listen(0, '127.0.0.1', cb),
    'listen(0, host, backlog, cb)': lambda s, cb: s.listen(0, '127.0.0.1', 8, cb),
    'listen(0, backlog, cb)': lambda s, cb: s.listen(0, 8, cb),
    'listen(0, host=...)': lambda s, cb: s.listen(0, host='127.0.0.1').once('listening', cb),
    'listen({port, host, backlog, exclusive})': lambda s, cb: s.listen(
        {'port': 0, 'host': '127.0.0.1', 'backlog': 16, 'exclusive': True}, cb),
    "listen({'port': 0, 'ipv6Only': False})": lambda s, cb: s.listen(
        {'port': 0, 'ipv6Only': False}, cb),
}


@pytest.mark.parametrize('form', sorted(LISTEN_FORMS))
def test_every_port_form_listens_and_calls_back_once(h, form):
    server = echo_server(h)
    called = []
    done = Event()
    LISTEN_FORMS[form](server, lambda *args: (called.append(args), done.set()))
    wait_for(done, 'the listen callback')
    assert called == [()]
    assert server.listening and server.address()['port'] > 0
    assert_serves(h, server)


@pytest.mark.parametrize('port', [-1, float('nan'), 123.456, 65536, float('inf'),
                                  float('-inf'), 2 ** 32 - 1, '65536', '-1', '1.5'])
def test_invalid_ports_raise_err_socket_bad_port_in_every_form(port):
    forms = [lambda: gnet.create_server().listen({'port': port}, lambda: None),
             lambda: gnet.create_server().listen(port, '0.0.0.0', lambda: None)]
    if not isinstance(port, str):
        forms.append(lambda: gnet.create_server().listen(port, lambda: None))
    for form in forms:
        with pytest.raises(errors.ERR_SOCKET_BAD_PORT) as info:
            form()
        assert isinstance(info.value, ValueError) and info.value.name == 'RangeError'


def test_port_takes_precedence_over_path(tmp_path):
    with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
        gnet.create_server().listen({'port': -1, 'path': str(tmp_path / 's')})


@pytest.mark.parametrize('options, reason', [
    ({'port': True}, 'is invalid'), ({'port': False}, 'is invalid'),
    (True, 'is invalid'), (False, 'is invalid'),
    ({'path': -1}, 'is invalid'), ({'path': ''}, 'is invalid'),
    ({'path': '123'}, 'is invalid'),  # a numeric string is not a pipe name
    ({}, 'must have the property "port" or "path"'),
    ({'host': 'localhost'}, 'must have the property "port" or "path"'),
    ({'exclusive': True}, 'must have the property "port" or "path"'),
    ({'fd': -1}, 'must have the property "port" or "path"'),
    ({'fd': '3'}, 'must have the property "port" or "path"'),
])
def test_invalid_listen_options_raise_err_invalid_arg_value(options, reason):
    server = gnet.create_server()
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE) as info:
        server.listen(options, lambda: None)
    assert isinstance(info.value, TypeError)
    assert reason in str(info.value)
    assert not server.listening and server.listener_count('listening') == 0


def test_bad_host_and_signal_types_raise_err_invalid_arg_type():
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        gnet.create_server().listen({'port': 0, 'host': 5})
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        gnet.create_server().listen({'port': 0, 'signal': 'INVALID_SIGNAL'})


def test_create_server_rejects_non_object_options():
    for bad in ('path', 0, 1.5):
        with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
            gnet.create_server(bad)
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        gnet.create_server({'keepAliveInitialDelay': 'x'})
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        gnet.create_server({'highWaterMark': 'x'})
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        gnet.create_server({'allowHalfOpen': 'yes'})


def test_options_in_either_spelling_and_node_aliases():
    server = gnet.createServer({'allowHalfOpen': True, 'pauseOnConnect': True, 'noDelay': True,
                                'keepAlive': True, 'keepAliveInitialDelay': 2000,
                                'highWaterMark': 10, 'unknownOption': 1})
    assert (server.allow_half_open, server.pause_on_connect, server.no_delay,
            server.keep_alive, server.keep_alive_initial_delay, server.high_water_mark) == \
        (True, True, True, True, 2000, 10)
    server.maxConnections = 3
    assert server.max_connections == 3
    assert gnet.Server is type(server) and callable(server.getConnections)
    kw = gnet.create_server(allow_half_open=True)
    assert kw.allow_half_open is True and kw.pause_on_connect is False


# -- timing --------------------------------------------------------------------------------
def test_a_port_without_host_binds_inside_listen(h):
    server = h.server()
    server.listen(0)
    address = server.address()
    assert address is not None and server.listening  # on the next line, as in Node
    assert address['address'] in ('::', '0.0.0.0')
    listening(server)


@pytest.mark.parametrize('host', ['127.0.0.1', 'localhost'])
def test_a_host_is_looked_up_first_even_an_ip_literal(h, host):
    server = h.server()
    server.listen(0, host)
    assert server.address() is None and not server.listening
    listening(server)
    assert server.address()['address'] == '127.0.0.1'
    assert server.address()['family'] == 'IPv4'


def test_a_path_binds_inside_listen(h, tmp_path):
    server = h.server()
    path = str(tmp_path / 'now.sock')
    server.listen(path)
    assert server.address() == path and stat.S_ISSOCK(os.stat(path).st_mode)
    listening(server)


def test_a_failed_lookup_is_an_error_event(h):
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen(0, 'name-that-does-not-exist.invalid')
    err = wait_for(failed, "the lookup 'error'", timeout=15)
    assert err.code in ('ENOTFOUND', 'EAI_AGAIN') and err.syscall == 'getaddrinfo'
    assert not server.listening


@pytest.mark.parametrize('host, code', [
    ('*' * 64 + '.invalid', 'ENOTFOUND'),  # a label over 63 characters: looked up, not found
    ('x' * 256, 'EINVAL'),                 # longer than libuv's 255-byte name
    ('a\ud800b.invalid', 'EINVAL'),        # not Unicode (a lone surrogate)
])
def test_a_name_python_idna_refuses_fails_the_listen_lookup_as_node(h, host, code, capfd):
    """node v20 ``listen(0, host)``: the same getaddrinfo errors as a connect to ``host``
    (Python's idna codec would raise instead); nothing printed."""
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen(0, host)
    err = wait_for(failed, "the lookup 'error'", timeout=15)
    assert (err.code, err.syscall, err.hostname) == (code, 'getaddrinfo', host)
    assert not server.listening and capfd.readouterr().err == ''


def test_listen_while_a_lookup_is_pending_supersedes_it(h):
    server = h.server()
    server.listen(0, '127.0.0.1')
    server.listen(0)  # allowed: nothing is bound yet (Node's rule)
    first = server.address()
    listening(server)  # the void lookup answered in the same batch of ticks
    assert server.address() == first and first['address'] in ('::', '0.0.0.0')
    assert not server._lookup_pending


def test_close_before_the_lookup_answers(h):
    server = h.server()
    server.listen(0, 'localhost', h.never('listened after close'))
    result = AsyncResult()
    server.close(result.set)
    assert wait_for(result, 'the close callback').code == 'ERR_SERVER_NOT_RUNNING'
    assert not server.listening


def test_close_right_after_listen_emits_neither_listening_nor_error(h):
    server = h.server()
    server.on('error', h.never("'error'"))
    server.listen(0, h.never("'listening'"))
    closed = closed_event(server)
    server.close()
    wait_for(closed, "'close'")


def test_close_ignores_a_callback_that_is_not_a_function(h):
    server = h.server()
    server.listen(0, h.never("'listening'"))
    closed = closed_event(server)
    assert server.close('bad argument') is server
    wait_for(closed, "'close'")


def test_listening_property(h):
    server = h.server()
    assert server.listening is False
    server.listen(0, '127.0.0.1')
    assert server.listening is False
    listening(server)
    assert server.listening is True
    server.close()
    assert server.listening is False


def test_the_listen_callback_is_a_once_listener(h):
    server = h.server()
    calls = []
    closed = closed_event(server)
    server.listen(0, lambda: (calls.append(1), server.close()))
    wait_for(closed, "'close'")
    assert server.listener_count('listening') == 0
    again = Event()
    server.listen(0, again.set)
    wait_for(again, 'the second callback')
    assert calls == [1]


def test_listen_returns_the_server_and_calls_back_with_no_arguments(h):
    server = h.server()
    got = AsyncResult()
    assert server.listen(0, lambda *args: got.set(args)) is server
    assert wait_for(got, 'the callback') == ()


# -- hosts and families --------------------------------------------------------------------
@needs_ipv6
def test_no_host_listens_dual_stack_on_the_unspecified_ipv6_address(h):
    server = echo_server(h)
    listening(server.listen(0))
    assert server.address()['address'] == '::' and server.address()['family'] == 'IPv6'
    assert_serves(h, server, '127.0.0.1')
    assert_serves(h, server, '::1')


def test_no_host_falls_back_to_ipv4_without_ipv6(h, monkeypatch):
    real = TCPListenHandle.bind.__func__

    def no_ipv6(cls, hub, address, port, family, *rest):
        if family == _socket.AF_INET6:
            raise errors.SysError(errno.EAFNOSUPPORT, 'listen', address, port)
        return real(cls, hub, address, port, family, *rest)
    monkeypatch.setattr(TCPListenHandle, 'bind', classmethod(no_ipv6))
    server = echo_server(h)
    listening(server.listen(0))
    assert server.address()['address'] == '0.0.0.0'
    assert server.address()['family'] == 'IPv4'
    assert_serves(h, server)


def test_tcp_listening_sockets_set_so_reuseaddr_and_relisten_at_once(h):
    server = echo_server(h)
    listening(server.listen(0, '127.0.0.1'))
    assert server._handle.sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 1
    port = server.address()['port']
    client, conn = h.accept_one(server)
    closed = closed_event(server)
    server.close()
    conn.destroy()  # the server side closes first: its end lingers in TIME_WAIT
    wait_for(closed, "'close'")
    again = echo_server(h)
    listening(again.listen(port, '127.0.0.1'))
    assert again.address()['port'] == port


@needs_ipv6
def test_ipv6_only_disables_dual_stack(h):
    server = echo_server(h)
    listening(server.listen({'host': '::', 'port': 0, 'ipv6_only': True}))
    port = server.address()['port']
    with pytest.raises(ConnectionRefusedError):
        raw_connect(('127.0.0.1', port)).close()
    assert_serves(h, server, '::1')
    v4 = echo_server(h)  # the IPv4 side of that port is free
    listening(v4.listen(port, '0.0.0.0'))
    assert_serves(h, v4, '127.0.0.1')


@needs_ipv6
def test_ipv6_only_in_node_spelling(h):
    server = h.server()
    listening(server.listen({'host': '::', 'port': 0, 'ipv6Only': True}))
    assert server._handle.sock.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) == 1


def test_reuse_port_lets_two_servers_share_a_port(h):
    first = echo_server(h)
    listening(first.listen({'port': 0, 'host': '127.0.0.1', 'reuse_port': True}))
    port = first.address()['port']
    second = echo_server(h)
    listening(second.listen({'port': port, 'host': '127.0.0.1', 'reusePort': True}))
    assert second.address()['port'] == port
    assert_serves(h, second)


def test_reuse_port_where_unsupported_is_a_clear_error(h, monkeypatch):
    monkeypatch.delattr(_socket, 'SO_REUSEPORT', raising=False)
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen({'port': 0, 'host': '127.0.0.1', 'reuse_port': True})
    err = wait_for(failed, "'error'")
    assert err.code in ('ENOTSUP', 'EOPNOTSUPP') and err.syscall == 'listen'
    assert not server.listening


# -- Unix paths ----------------------------------------------------------------------------
@pytest.mark.parametrize('form', ['path', '{path}', 'path, cb', '{path}, cb', 'path=...'])
def test_listen_on_a_path_in_every_form_and_close_unlinks_it(h, tmp_path, form):
    path = str(tmp_path / 'p.sock')
    server = echo_server(h)
    done = Event()
    calls = {'path': lambda: server.listen(path).once('listening', done.set),
             '{path}': lambda: server.listen({'path': path}).once('listening', done.set),
             'path, cb': lambda: server.listen(path, done.set),
             '{path}, cb': lambda: server.listen({'path': path}, done.set),
             'path=...': lambda: server.listen(path=path).once('listening', done.set)}
    calls[form]()
    wait_for(done, "'listening'")
    assert server.address() == path
    assert_serves(h, server)
    closed = closed_event(server)
    server.close()
    assert not os.path.exists(path)
    wait_for(closed, "'close'")


def test_a_relative_path_listens_in_the_current_directory(h, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    server = echo_server(h)
    listening(server.listen('relative.sock'))
    assert server.address() == 'relative.sock'
    assert stat.S_ISSOCK(os.stat(tmp_path / 'relative.sock').st_mode)


@pytest.mark.parametrize('readable_all, writable_all, bits', [
    (True, False, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH),
    (False, True, stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH),
    (True, True, 0o666)])
def test_readable_all_and_writable_all_set_the_file_mode(h, tmp_path, readable_all,
                                                          writable_all, bits):
    path = str(tmp_path / 'mode.sock')
    server = h.server()
    server.listen({'path': path, 'readableAll': readable_all, 'writable_all': writable_all})
    mode = stat.S_IMODE(os.stat(path).st_mode)  # set before listen() returns
    assert mode & bits == bits
    listening(server)


def test_default_file_mode_is_not_world_writable(h, tmp_path):
    old = os.umask(0o022)
    try:
        path = str(tmp_path / 'plain.sock')
        listening(h.server().listen(path))
    finally:
        os.umask(old)
    assert not stat.S_IMODE(os.stat(path).st_mode) & stat.S_IWOTH


def test_abstract_namespace_works_and_is_never_unlinked(h, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = '\0gnet-test-abstract-%d-%d' % (os.getpid(), time.monotonic_ns())
    server = echo_server(h)
    listening(server.listen(name))
    assert server.address() == name
    assert_serves(h, server)
    server.close()
    assert os.listdir(tmp_path) == []


# -- handles -------------------------------------------------------------------------------
def bound_tcp_socket():
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('127.0.0.1', 0))
    return sock


def bound_unix_socket(path):
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(path)
    return sock


@pytest.mark.parametrize('form', ['handle', 'handle, cb', '{handle}, cb', '{_handle}',
                                  'handle, backlog, cb'])
@pytest.mark.parametrize('family', ['tcp', 'unix'])
def test_listen_on_a_python_socket_handle(h, tmp_path, form, family):
    path = str(tmp_path / 'handle.sock')
    sock = bound_tcp_socket() if family == 'tcp' else bound_unix_socket(path)
    try:
        server = echo_server(h)
        done = Event()
        {'handle': lambda: server.listen(sock).once('listening', done.set),
         'handle, cb': lambda: server.listen(sock, done.set),
         '{handle}, cb': lambda: server.listen({'handle': sock}, done.set),
         '{_handle}': lambda: server.listen({'_handle': sock}).once('listening', done.set),
         'handle, backlog, cb': lambda: server.listen(sock, 16, done.set)}[form]()
        assert server.listening  # a handle is adopted inside the call
        wait_for(done, "'listening'")
        expected = path if family == 'unix' else {
            'address': '127.0.0.1', 'family': 'IPv4', 'port': sock.getsockname()[1]}
        assert server.address() == expected
        assert_serves(h, server)
        closed = closed_event(server)
        server.close()
        wait_for(closed, "'close'")
        assert sock.fileno() >= 0  # the caller's socket is still the caller's
        if family == 'unix':
            assert os.path.exists(path)  # not created by the server: not unlinked
    finally:
        sock.close()


def test_listen_on_an_fd_takes_the_descriptor_over(h):
    sock = bound_tcp_socket()
    fd = sock.detach()
    server = echo_server(h)
    done = Event()
    server.listen({'fd': fd}, done.set)
    wait_for(done, "'listening'")
    assert_serves(h, server)
    closed = closed_event(server)
    server.close()
    with pytest.raises(OSError):
        os.fstat(fd)  # closed with the server, as Node's handle closes it
    wait_for(closed, "'close'")


def test_listen_on_another_servers_handle_shares_its_port(h):
    first = echo_server(h)
    listening(first.listen(0, '127.0.0.1'))
    second = echo_server(h)
    listening(second.listen(first))
    assert second.address() == first.address()
    closed = closed_event(first)
    first.close()
    wait_for(closed, "the first server's 'close'")
    assert_serves(h, second)


def test_a_server_that_is_not_listening_is_not_a_handle(h):
    with pytest.raises(errors.ERR_INVALID_ARG_VALUE):
        h.server().listen(h.server())


@pytest.mark.parametrize('kind', ['regular file', 'pipe'])
def test_an_fd_that_is_not_a_socket_is_an_async_einval(h, tmp_path, kind):
    if kind == 'pipe':
        fd, other = os.pipe()
    else:
        fd, other = os.open(str(tmp_path / 'f'), os.O_RDWR | os.O_CREAT), None
    try:
        server = h.server()
        failed = AsyncResult()
        server.on('error', failed.set)
        server.listen({'fd': fd}, h.never("'listening'"))
        assert not failed.ready()
        err = wait_for(failed, "'error'")
        assert err.code in ('EINVAL', 'ENOTSOCK') and err.syscall == 'listen'
        assert str(err) == 'listen EINVAL: invalid argument'  # as Node's uv_strerror text
        os.fstat(fd)  # left open: it was never ours
    finally:
        os.close(fd)
        if other is not None:
            os.close(other)


def test_a_connected_socket_cannot_listen(h):
    server = h.serving()
    client, conn = h.accept_one(server)
    other = h.server()
    failed = AsyncResult()
    other.on('error', failed.set)
    other.listen(conn)
    assert wait_for(failed, "'error'").syscall == 'listen'
    assert not other.listening


# -- signal --------------------------------------------------------------------------------
def test_abort_signal_closes_the_server(h):
    controller = gnet.AbortController()
    server = h.server()
    listening(server.listen({'port': 0, 'signal': controller.signal}))
    closed = closed_event(server)
    controller.abort()
    assert not server.listening
    wait_for(closed, "'close'")


def test_a_pre_aborted_signal_closes_without_listening(h):
    server = h.server()
    server.on('listening', h.never("'listening'"))
    closed = closed_event(server)
    server.listen({'port': 0, 'signal': gnet.AbortSignal.abort()})
    wait_for(closed, "'close'")
    assert not server.listening


def test_an_old_signal_does_not_close_a_later_listen(h):
    controller = gnet.AbortController()
    server = h.server()
    listening(server.listen({'port': 0, 'signal': controller.signal}))
    closed = closed_event(server)
    server.close()
    wait_for(closed, "'close'")
    listening(server.listen(0))
    controller.abort()
    assert server.listening
    assert controller.signal.listener_count('abort') == 0


# -- ref / unref and gnet.run() ------------------------------------------------------------
@pytest.mark.timeout(10)
def test_an_unrefd_server_does_not_keep_run_alive(h):
    server = h.server()
    server.listen(0)
    server.unref()
    timer = gnet.set_timeout(h.never('run() held open'), 3000).unref()
    started = time.monotonic()
    gnet.run()
    timer.close()
    assert time.monotonic() - started < 2
    assert server.listening


@pytest.mark.timeout(10)
def test_unref_before_listen_persists(h):
    server = h.server()
    server.unref()
    server.listen(0, '127.0.0.1')
    started = time.monotonic()
    gnet.run()  # the lookup itself holds run() only until the server is bound
    assert time.monotonic() - started < 2
    assert server.listening


@pytest.mark.timeout(10)
def test_a_refd_server_keeps_run_alive_until_closed(h):
    server = h.server()
    server.listen(0)
    server.unref()
    server.ref()
    events = []
    server.on('close', lambda: events.append('close'))
    gnet.set_timeout(lambda: (events.append('timer'), server.close()), 50)
    gnet.run()
    assert events == ['timer', 'close']


@pytest.mark.timeout(10)
def test_a_superseded_lookup_does_not_hold_run_open(h):
    server = h.server()
    server.unref()
    server.listen(0, 'localhost')
    server.listen(0)
    started = time.monotonic()
    gnet.run()
    assert time.monotonic() - started < 2
    assert server.listening
