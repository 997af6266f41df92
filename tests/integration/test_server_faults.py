"""Server faults: out of descriptors, accept errors, bind errors, uncaught errors.

The out-of-descriptors test runs a gnet server in a SUBPROCESS
(``emfile_server.py``) with RLIMIT_NOFILE=64, floods it from this process
and checks that it survives, burns little CPU while overloaded (no busy
loop: its own ``getrusage`` is reported back), closes the connections it
cannot take, and serves again once descriptors are free.  ``gnet proxy``
gets the same treatment under RLIMIT_NOFILE=128, where it also runs out
of descriptors for its upstream connections.

Ports the behaviours of Node's test/parallel/ files:
test-net-listen-error.js (EADDRNOTAVAIL/EACCES), test-net-eaddrinuse.js,
test-net-server-try-ports.js and the EADDRINUSE retry example of the docs,
test-net-better-error-messages-listen.js, test-net-better-error-messages-listen-path.js,
test-net-pipe-connect-errors.js (an overlong path is an error),
test-net-server-listen-path.js (a stale socket file), and libuv's
test-emfile.c (accept with no descriptors left neither spins nor dies).
"""

import errno
import json
import os
import re
import resource
import socket
import sys
import time

import gevent
import pytest
from gevent import socket as gsocket
from gevent import subprocess
from gevent.event import AsyncResult
from gevent.pool import Group

import gnet
from gnet import errors
from gnet.net.handles import listen
from gnet.net.handles.listen import ListenHandle, TCPListenHandle
from net_helpers import out_of_descriptors
from server_helpers import (WAIT, closed_event, make_harness, raw_connect, read_until_closed,
                            recv_exactly, target_of, wait_for)

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'emfile_server.py')
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: descriptor limit of the server process, and how the flood is shaped
FD_LIMIT = 64
FILL = 100            # first wave: more than the server can hold
WAVE = 25             # overload: waves of connections the server must shed...
MAX_WAVES = 40        # ...at most this many...
OVERLOAD_S = 2.0      # ...until the overload has lasted this long


@pytest.fixture
def h(request, tmp_path):
    return make_harness(request, tmp_path, 'tcp4')


@pytest.fixture(params=['tcp4', 'ipc'])
def h2(request, tmp_path):
    return make_harness(request, tmp_path, request.param)


# -- out of descriptors, in a subprocess ---------------------------------------------------
def stop_process(proc, stderr, ask_to_stop):
    """Ask a child to stop, wait (bounded), kill it if it did not; its exit code."""
    try:
        ask_to_stop()
        return proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        stderr.close()


class ServerProcess:
    """emfile_server.py under RLIMIT_NOFILE=FD_LIMIT, spoken to over its stdin/stdout."""

    def __init__(self, stderr_path):
        self.stderr = open(stderr_path, 'wb')
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
        self.proc = subprocess.Popen([sys.executable, SCRIPT, str(FD_LIMIT)], env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr)
        self.stderr_path = stderr_path
        hello = self.read()
        self.port, self.pid = hello['port'], hello['pid']

    def read(self, timeout=15):
        with gevent.Timeout(timeout, AssertionError('the server process went silent: %s'
                                                    % self.diagnostics())):
            line = self.proc.stdout.readline()
        assert line, 'the server process exited: %s' % self.diagnostics()
        return json.loads(line)

    def stats(self):
        self.proc.stdin.write(b'stats\n')
        self.proc.stdin.flush()
        return self.read()

    def diagnostics(self):
        self.stderr.flush()
        with open(self.stderr_path, 'rb') as err:
            return err.read()[-2000:].decode(errors='replace')

    def stop(self):
        """Close stdin (the server shuts down); returns the exit code."""
        return stop_process(self.proc, self.stderr, self.proc.stdin.close)


def flood(port, count):
    """``count`` concurrent raw clients; returns ``(held sockets, outcomes)``.

    A client greeted with ``hello`` is held open; one whose connection the
    server closes at once records ``'eof'``/``'reset'``; ``'timeout'`` means
    the server let it hang.
    """
    held, outcomes = [], []

    def client():
        try:
            sock = raw_connect(('127.0.0.1', port), timeout=WAIT)
        except OSError as exc:
            outcomes.append('connect failed: %s' % exc)
            return
        try:
            data = sock.recv(6)
            how = 'greeted' if data == b'hello\n' else 'eof'
        except socket.timeout:
            how = 'timeout'
        except OSError as exc:
            how = 'reset' if exc.errno in (errno.ECONNRESET, errno.EPIPE) else str(exc)
        outcomes.append(how)
        if how == 'greeted':
            held.append(sock)
        else:
            sock.close()
    group = Group()
    for _ in range(count):
        group.spawn(client)
    try:
        assert group.join(timeout=3 * WAIT), 'flooding clients did not finish'
    finally:
        group.kill()
    return held, outcomes


def served(port, attempts=20):
    """A fresh client is greeted and echoed, within a bounded number of attempts."""
    for _ in range(attempts):
        with raw_connect(('127.0.0.1', port)) as sock:
            try:
                if recv_exactly(sock, 6) != b'hello\n':
                    continue  # shed: the server was still out of descriptors
                sock.sendall(b'ping')
                return recv_exactly(sock, 4) == b'ping'
            except OSError:
                continue
    return False


@pytest.mark.timeout(90)
def test_out_of_descriptors_server_survives_without_spinning_and_recovers(tmp_path, capsys):
    server = ServerProcess(str(tmp_path / 'server.stderr'))
    held = []
    try:
        before = server.stats()
        held, outcomes = flood(server.port, FILL)
        assert 'timeout' not in outcomes, 'a client was left hanging: %s' % outcomes
        assert 20 < len(held) < FD_LIMIT, outcomes
        assert outcomes.count('eof') + outcomes.count('reset') == FILL - len(held)
        overloaded = server.stats()
        started = time.monotonic()
        shed = []
        for _ in range(MAX_WAVES):  # the server is at its limit: every one must be shed
            if time.monotonic() - started >= OVERLOAD_S:
                break
            more, outcomes = flood(server.port, WAVE)
            held += more
            shed += outcomes
        wall = time.monotonic() - started
        after = server.stats()
        cpu = after['cpu'] - overloaded['cpu']
        with capsys.disabled():
            print('\n[emfile] limit %d: held %d, shed %d+%d; overload %.2fs wall, '
                  '%.3fs server CPU (%.1f%%); baseline fds %d'
                  % (FD_LIMIT, len(held), FILL - len(held), len(shed), wall, cpu,
                     100 * cpu / wall, before['fds']))
        assert set(shed) <= {'eof', 'reset'}, 'while overloaded: %s' % shed
        assert cpu < 0.25 * wall + 0.1, 'the server spun: %.3fs CPU in %.2fs' % (cpu, wall)
        assert server.proc.poll() is None, 'the server died: %s' % server.diagnostics()
        for sock in held:
            sock.close()
        held = []
        assert served(server.port), 'no recovery: %s' % server.diagnostics()
        assert server.stats()['connections'] <= 1
    finally:
        for sock in held:
            sock.close()
        code = server.stop()
    assert code == 0, server.diagnostics()


def settled_stats(server, fds, timeout=WAIT):
    """The server's stats once it has ``fds`` descriptors open again (or at the deadline)."""
    deadline = time.monotonic() + timeout
    stats = server.stats()
    while (stats['fds'] != fds or stats['connections']) and time.monotonic() < deadline:
        gevent.sleep(0.05)
        stats = server.stats()
    return stats


@pytest.mark.timeout(90)
def test_two_out_of_descriptor_episodes_are_both_shed_and_every_descriptor_comes_back(tmp_path):
    """The spare descriptor that sheds the backlog is taken back after each episode."""
    server = ServerProcess(str(tmp_path / 'server.stderr'))
    held = []
    try:
        before = server.stats()
        for episode in (1, 2):
            held, outcomes = flood(server.port, FILL)
            more, shed = flood(server.port, WAVE)  # at the limit: every one is shed
            held += more
            assert 'timeout' not in outcomes + shed, 'episode %d: a client hung' % episode
            assert shed and set(shed) <= {'eof', 'reset'}, 'episode %d: %s' % (episode, shed)
            for sock in held:
                sock.close()
            held = []
            after = settled_stats(server, before['fds'])
            assert after['fds'] == before['fds'], 'episode %d: %s' % (episode, after)
            assert served(server.port), 'episode %d: no recovery: %s' % (episode,
                                                                         server.diagnostics())
    finally:
        for sock in held:
            sock.close()
        code = server.stop()
    assert code == 0, server.diagnostics()


def open_fds():
    return len(os.listdir('/proc/self/fd'))


def test_a_spare_descriptor_lost_in_an_episode_is_taken_back_and_the_next_episode_shed(h2):
    """shed_pending re-opens the spare at once, which fails if something else took the
    freed slot (a resolver thread; another process when the system's table is full).
    It comes back when one of the server's connections closes: the count is back, and
    the next episode is shed (its clients see a close, not a hang)."""
    accepted = AsyncResult()
    server = h2.serving(accepted.set)
    handle = server._handle
    first = h2.raw_client(server)
    conn = wait_for(accepted, "'connection'")
    with_spare = open_fds()
    real_open_reserve = listen._open_reserve
    listen._open_reserve = lambda: None  # the slot was taken before the spare was re-opened
    try:
        assert handle.shed_pending() == 0 and handle._reserve is None
    finally:
        listen._open_reserve = real_open_reserve
    assert open_fds() == with_spare - 1
    closed = closed_event(conn)
    first.close()
    wait_for(closed, "the connection's 'close'")
    assert handle._reserve is not None, 'the spare was not taken back'
    assert open_fds() == with_spare - 2  # the connection's two ends are gone, the spare is back
    family = socket.AF_UNIX if h2.transport == 'ipc' else socket.AF_INET
    clients = [gsocket.socket(family, socket.SOCK_STREAM) for _ in range(3)]  # made beforehand
    try:
        with out_of_descriptors():
            for client in clients:
                client.settimeout(WAIT)
                client.connect(target_of(server))
            outcomes = [read_until_closed(client)[1] for client in clients]
            assert set(outcomes) <= {'eof', 'reset'}, 'not shed: %s' % outcomes
    finally:
        for client in clients:
            client.close()
    assert handle._reserve is not None and server.listening


# -- gnet proxy out of descriptors, in a subprocess ----------------------------------------------
PROXY_FD_LIMIT = 128
PROXY_FLOOD = 300     # concurrent clients, more than the proxy has descriptors for


def limit_descriptors(limit):
    """A ``preexec_fn``: RLIMIT_NOFILE ``limit`` in the child (``ulimit -n``)."""
    return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))


class ProxyProcess:
    """``gnet proxy 127.0.0.1:0 TARGET`` under RLIMIT_NOFILE=PROXY_FD_LIMIT."""

    def __init__(self, target, stderr_path):
        self.stderr_path = stderr_path
        self.stderr = open(stderr_path, 'wb')
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
        self.proc = subprocess.Popen(
            [sys.executable, '-m', 'gnet', 'proxy', '127.0.0.1:0', '%s:%d' % target],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.stderr,
            preexec_fn=limit_descriptors(PROXY_FD_LIMIT))
        with gevent.Timeout(15, AssertionError('gnet proxy never listened: %s'
                                               % self.diagnostics())):
            line = self.proc.stdout.readline().decode()
        found = re.match(r'listening on 127\.0\.0\.1:(\d+)$', line.strip())
        assert found, 'gnet proxy said %r: %s' % (line, self.diagnostics())
        self.port = int(found.group(1))

    def fds(self):
        return len(os.listdir('/proc/%d/fd' % self.proc.pid))

    def diagnostics(self):
        if not self.stderr.closed:
            self.stderr.flush()
        with open(self.stderr_path, 'rb') as err:
            return err.read()[-2000:].decode(errors='replace')

    def stop(self):
        """SIGTERM (the proxy stops gracefully); returns the exit code."""
        return stop_process(self.proc, self.stderr, self.proc.terminate)


def proxied(port, payload):
    """One client through the proxy: ``'served'`` (echoed byte-exact) or how it was shed."""
    try:
        sock = raw_connect(('127.0.0.1', port), timeout=WAIT)
    except OSError as exc:
        return 'connect failed: %s' % exc
    with sock:
        try:
            sock.sendall(payload)
            echoed = recv_exactly(sock, len(payload))
        except socket.timeout:
            return 'timeout'
        except OSError as exc:
            return 'reset' if exc.errno in (errno.ECONNRESET, errno.EPIPE) else str(exc)
    if echoed == payload:
        return 'served'
    return 'eof' if len(echoed) < len(payload) else 'corrupted'


def settled_fds(proxy, wanted, timeout=WAIT):
    """The proxy's descriptor count once it is ``wanted`` again (or at the deadline)."""
    deadline = time.monotonic() + timeout
    count = proxy.fds()
    while count != wanted and time.monotonic() < deadline:
        gevent.sleep(0.05)
        count = proxy.fds()
    return count


@pytest.mark.timeout(90)
@pytest.mark.parametrize('host', ['127.0.0.1', 'localhost'])
def test_gnet_proxy_out_of_descriptors_sheds_keeps_serving_and_gives_them_back(h, tmp_path,
                                                                              capsys, host):
    """With ``localhost`` as the target, lookups fail too (EAI_SYSTEM: EMFILE)."""
    backend = h.serving(lambda conn: conn.pipe(conn))
    proxy = ProxyProcess((host, target_of(backend)[1]), str(tmp_path / 'proxy.stderr'))
    try:
        baseline = proxy.fds()
        assert proxied(proxy.port, b'warm-up') == 'served'
        assert settled_fds(proxy, baseline) == baseline
        group = Group()
        jobs = [group.spawn(proxied, proxy.port, b'%d:' % n + os.urandom(4096))
                for n in range(PROXY_FLOOD)]
        assert group.join(timeout=6 * WAIT), 'flooding clients did not finish'
        outcomes = [job.value for job in jobs]
        assert set(outcomes) <= {'served', 'eof', 'reset'}, outcomes
        with capsys.disabled():
            ok = outcomes.count('served')
            print('\n[proxy emfile] to %s, limit %d, %d clients: %d served, %d shed; '
                  'baseline fds %d' % (host, PROXY_FD_LIMIT, PROXY_FLOOD, ok, PROXY_FLOOD - ok,
                                       baseline))
        assert outcomes.count('served') < PROXY_FLOOD, 'no descriptor ran out: make it bigger'
        assert proxy.proc.poll() is None, 'gnet proxy died: %s' % proxy.diagnostics()
        payload = os.urandom(256 * 1024)
        assert proxied(proxy.port, payload) == 'served', proxy.diagnostics()
        assert settled_fds(proxy, baseline) == baseline, proxy.diagnostics()
        assert proxy.proc.poll() is None, proxy.diagnostics()
    finally:
        code = proxy.stop()
    assert code == 0, proxy.diagnostics()
    printed = [line for line in proxy.diagnostics().splitlines()
               if not line.startswith('accept: ')]  # the back-off's warning (gnet.server)
    assert printed == [], 'nothing else is printed'


# -- accept errors, in process -------------------------------------------------------------
def failing_accept(monkeypatch, code, times):
    """Make ListenHandle.try_accept raise ``code`` ``times`` times; returns the call log."""
    real = ListenHandle.try_accept
    calls = []

    def try_accept(self):
        calls.append(time.monotonic())
        if len(calls) <= times:
            raise OSError(code, os.strerror(code))
        return real(self)
    monkeypatch.setattr(ListenHandle, 'try_accept', try_accept)
    return calls


def test_capacity_errors_back_off_instead_of_spinning(h, monkeypatch):
    calls = failing_accept(monkeypatch, errno.EMFILE, 4)
    server = h.serving(lambda conn: conn.pipe(conn))
    server.on('error', h.never("'error'"))
    client = h.raw_client(server)  # pending in the backlog: level-triggered readiness
    client.sendall(b'ping')
    assert recv_exactly(client, 4) == b'ping'  # accepted after the back-off
    failures = calls[:5]
    assert len(failures) == 5
    gaps = [b - a for a, b in zip(failures, failures[1:], strict=False)]
    assert all(gap >= 0.008 for gap in gaps), gaps  # 10, 20, 40, 80 ms: no busy loop
    assert gaps[-1] > gaps[0]


@pytest.mark.parametrize('code', [errno.ECONNABORTED, errno.EPROTO, errno.EINTR])
def test_transient_accept_errors_are_skipped(h, monkeypatch, code):
    failing_accept(monkeypatch, code, 1)
    server = h.serving(lambda conn: conn.pipe(conn))
    server.on('error', h.never("'error'"))
    client = h.raw_client(server)
    client.sendall(b'ping')
    assert recv_exactly(client, 4) == b'ping'


def test_an_unexpected_accept_error_is_an_error_event_and_accepting_resumes(h, monkeypatch):
    failing_accept(monkeypatch, errno.EINVAL, 1)
    server = h.serving(lambda conn: conn.pipe(conn))
    failed = AsyncResult()
    server.on('error', failed.set)
    client = h.raw_client(server)
    err = wait_for(failed, "the accept 'error'")
    assert isinstance(err, errors.SysError) and err.code == 'EINVAL' and err.syscall == 'accept'
    client.sendall(b'ping')
    assert recv_exactly(client, 4) == b'ping'
    assert server.listening


def test_shed_pending_accepts_and_closes_the_backlog(h):
    handle = TCPListenHandle.bind(gevent.get_hub(), '127.0.0.1', 0, socket.AF_INET, 16)
    try:
        port = handle.sockname()['port']
        clients = [raw_connect(('127.0.0.1', port)) for _ in range(3)]
        try:
            assert handle.shed_pending() == 3
            for client in clients:
                assert read_until_closed(client)[1] in ('eof', 'reset')
            assert handle.try_accept() is None and handle._reserve is not None
        finally:
            for client in clients:
                client.close()
    finally:
        handle.close()


# -- bind and listen errors ----------------------------------------------------------------
@pytest.mark.timeout(15)
def test_eaddrinuse_then_a_successful_retry_as_in_the_docs(h):
    """The example of the seed text: on EADDRINUSE, close and listen again later."""
    other = h.serving()
    port, host = other.address()['port'], '127.0.0.1'
    server = h.server(lambda sock: sock.end(b'goodbye\n'))
    log = []

    def on_error(err):
        if err.code == 'EADDRINUSE':
            log.append('Address in use, retrying...')

            def retry():
                other.close()  # whoever held the port goes away meanwhile
                server.close()
                server.listen(port, host)
            gnet.set_timeout(retry, 100)
    server.on('error', on_error)
    server.on('listening', lambda: (log.append('listening'), server.close()))
    server.listen(port, host)
    gnet.run()
    assert log == ['Address in use, retrying...', 'listening']


def test_eaddrinuse_message_names_the_address(h):
    other = h.serving()
    port = other.address()['port']
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen(port, '127.0.0.1')
    err = wait_for(failed, "'error'")
    assert str(err) == 'listen EADDRINUSE: address already in use 127.0.0.1:%d' % port
    assert (err.address, err.port, err.errno) == ('127.0.0.1', port, errno.EADDRINUSE)


def test_a_stale_unix_socket_file_is_eaddrinuse_until_removed(h, tmp_path):
    path = str(tmp_path / 'stale.sock')
    crashed = socket.socket(socket.AF_UNIX)
    crashed.bind(path)  # a server that died without unlinking its socket
    crashed.close()
    server = h.server(lambda conn: conn.pipe(conn))
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen(path)
    err = wait_for(failed, "'error'")
    assert err.code == 'EADDRINUSE'
    assert str(err) == 'listen EADDRINUSE: address already in use ' + path
    assert os.path.exists(path)  # not ours: left alone
    os.unlink(path)
    gnet.once(server.listen(path), 'listening', timeout=WAIT)
    with raw_connect(path) as client:
        client.sendall(b'ping')
        assert recv_exactly(client, 4) == b'ping'


def test_an_overlong_path_is_einval_never_truncated(h, tmp_path):
    """Node 22 (UV_PIPE_NO_TRUNCATE): EINVAL; Node 20 truncated the name (a bug not copied)."""
    directory = str(tmp_path)
    fits = os.path.join(directory, 'a' * (107 - len(directory) - 1))
    too_long = os.path.join(directory, 'b' * (108 - len(directory) - 1))
    assert (len(fits), len(too_long)) == (107, 108)
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen(too_long)
    err = wait_for(failed, "'error'")
    assert (err.code, err.syscall, err.address) == ('EINVAL', 'listen', too_long)
    assert str(err) == 'listen EINVAL: invalid argument ' + too_long
    assert os.listdir(directory) == []  # nothing bound under a truncated name
    gnet.once(server.listen(fits), 'listening', timeout=WAIT)
    assert server.address() == fits


def test_an_overlong_abstract_name_is_einval(h):
    name = '\0' + 'x' * 108
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen(name)
    assert wait_for(failed, "'error'").code == 'EINVAL'
    gnet.once(server.listen(name[:108]), 'listening', timeout=WAIT)


def test_a_path_in_a_missing_directory_is_eacces_as_libuv_says(h, tmp_path):
    """libuv turns bind's ENOENT into EACCES: Node 20 reports it so, even to root."""
    where = str(tmp_path / 'missing' / 'server.sock')
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen(where, h.never("'listening'"))
    err = wait_for(failed, "'error'")
    assert (err.code, err.errno, err.syscall, err.address) == ('EACCES', errno.EACCES, 'listen', where)
    assert str(err) == 'listen EACCES: permission denied ' + where
    assert not server.listening and not os.path.exists(os.path.dirname(where))


def test_an_address_that_is_not_local_is_eaddrnotavail(h):
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen(0, '192.0.2.1', h.never("'listening'"))  # TEST-NET-1
    err = wait_for(failed, "'error'")
    assert err.code == 'EADDRNOTAVAIL' and err.syscall == 'listen'
    assert not server.listening and server.address() is None


@pytest.mark.skipif(os.geteuid() == 0, reason='root may bind privileged ports: no EACCES')
def test_a_privileged_port_is_eacces(h):
    server = h.server()
    failed = AsyncResult()
    server.on('error', failed.set)
    server.listen(1, '127.0.0.1')
    assert wait_for(failed, "'error'").code == 'EACCES'


# -- uncaught errors -----------------------------------------------------------------------
@pytest.mark.timeout(15)
def test_a_listen_error_nobody_listens_to_is_raised_out_of_run(h):
    other = h.serving()
    server = h.server()
    server.listen(other.address()['port'], '127.0.0.1')
    with pytest.raises(errors.SysError) as info:
        gnet.run()
    assert info.value.code == 'EADDRINUSE'


@pytest.mark.timeout(15)
def test_a_raising_connection_listener_destroys_its_socket_and_the_server_goes_on(h):
    calls = []

    def on_connection(conn):
        calls.append(conn)
        if len(calls) == 1:
            raise RuntimeError('listener bug')
        conn.pipe(conn)
    server = h.serving(on_connection)
    first = h.raw_client(server)
    with pytest.raises(RuntimeError, match='listener bug'):
        gnet.run()
    assert calls[0].destroyed
    assert read_until_closed(first)[1] in ('eof', 'reset')
    second = h.raw_client(server)
    second.sendall(b'ping')
    assert recv_exactly(second, 4) == b'ping'
