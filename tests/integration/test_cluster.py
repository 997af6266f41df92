"""gnet.cluster: workers sharing a port, restarts, graceful shutdown.

Each test runs ``scaling/primary.py`` (a cluster primary whose workers run
``scaling/apps.py:line_server``) in a process group of its own, reads the
primary's cluster events from its stdout, and talks to the workers over
loopback.  The group is SIGKILLed at the end whatever happened.
"""

import collections
import os
import signal
import socket
import stat
import tempfile
import time

import pytest
from scaling.harness import HERE, WAIT, Process, ask, free_port, read_line

from gnet import cluster

pytestmark = pytest.mark.timeout(60)


def start(workers, *extra):
    primary = Process('primary.py', '--workers', workers, *extra)
    listening = {}
    while len(listening) < workers:
        event = primary.wait_for(lambda e: e['event'] == 'listening')
        listening[event['id']] = event
    ports = {e['address']['port'] for e in listening.values()}
    return primary, listening, ports


@pytest.mark.parametrize('via', ['wrapper', 'listen'])
def test_round_robin_spreads_connections_over_every_worker(via):
    if via == 'listen' and not cluster.listen_hooked():
        pytest.skip('Server.listen has no cluster hook yet: workers use cluster.listen()')
    primary, listening, ports = start(3, '--via', via)
    with primary:
        assert len(ports) == 1, 'every worker listens on the one shared port'
        port = ports.pop()
        answers = collections.Counter(ask(port, b'hello %d' % i)[0] for i in range(12))
        assert set(answers) == set(listening)
        assert all(count == 4 for count in answers.values()), answers


def test_shared_socket_policy_every_connection_is_answered():
    primary, listening, ports = start(2, '--policy', 'none')
    with primary:
        port = ports.pop()
        for i in range(10):
            ident, pid, text = ask(port, b'n%d' % i)
            assert ident in listening and pid == listening[ident]['pid']
            assert text == b'n%d' % i


def test_exclusive_workers_bind_their_own_socket_with_reuse_port():
    port = free_port()
    primary, listening, ports = start(3, '--policy', 'exclusive', '--port', port)
    with primary:
        assert ports == {port}
        socks = [socket.create_connection(('127.0.0.1', port), timeout=WAIT) for _ in range(30)]
        try:
            for i, sock in enumerate(socks):
                sock.sendall(b'x%d\n' % i)
            idents = {int(read_line(sock).split(b' ')[0]) for sock in socks}
        finally:
            for sock in socks:
                sock.close()
        assert len(idents) >= 2, 'the kernel spread 30 connections over %s' % idents


def test_a_killed_worker_is_restarted_and_the_port_keeps_answering():
    primary, listening, ports = start(2, '--restart')
    with primary:
        port = ports.pop()
        victim = listening[1]['pid']
        os.kill(victim, signal.SIGKILL)
        # the surviving worker answers while the victim is down
        for i in range(6):
            ident, pid, _ = ask(port, b'during %d' % i)
            assert pid != victim
        died = primary.wait_for(lambda e: e['event'] == 'exit')
        assert (died['id'], died['code'], died['signal']) == (1, None, 'SIGKILL')
        back = primary.wait_for(lambda e: e['event'] == 'listening')
        assert back['id'] == 3 and back['address']['port'] == port
        answers = {ask(port, b'after %d' % i)[0] for i in range(6)}
        assert answers == {2, 3}


def test_a_crashing_worker_is_restarted_with_back_off():
    primary, listening, ports = start(1, '--restart')
    with primary:
        port = ports.pop()
        with socket.create_connection(('127.0.0.1', port), timeout=WAIT) as sock:
            sock.sendall(b'crash\n')
            assert sock.recv(10) == b''
        died = primary.wait_for(lambda e: e['event'] == 'exit')
        assert (died['code'], died['signal']) == (3, None)
        primary.wait_for(lambda e: e['event'] == 'listening')
        assert ask(port, b'again')[2] == b'again'


def test_sigterm_drains_open_connections_and_exits():
    primary, listening, ports = start(2, '--timeout-ms', 8000)
    with primary:
        port = ports.pop()
        sock = socket.create_connection(('127.0.0.1', port), timeout=WAIT)
        try:
            sock.sendall(b'first ')          # half a message is in a worker
            started = time.monotonic()
            primary.signal(signal.SIGTERM)
            # the primary stopped accepting: new connections are refused
            deadline = time.monotonic() + WAIT
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(('127.0.0.1', port), timeout=1).close()
                except ConnectionRefusedError:
                    break
                time.sleep(0.02)
            else:
                pytest.fail('the port still accepts after SIGTERM')
            # one worker had no connection: it is gone already
            idle = primary.wait_for(lambda e: e['event'] == 'exit')
            assert idle['code'] == 0
            sock.sendall(b'half\n')           # the rest of the message
            ident, pid, text = read_line(sock).split(b' ', 2)
            assert text == b'first half'
            sock.sendall(b'second\n')         # the connection stays usable until we end it
            assert read_line(sock).split(b' ', 2)[2] == b'second'
        finally:
            sock.close()
        busy = primary.wait_for(lambda e: e['event'] == 'exit')
        assert busy['code'] == 0 and busy['id'] == int(ident)
        primary.wait_for(lambda e: e['event'] == 'primary-exit')
        assert primary.wait_exit() == 0
        assert time.monotonic() - started < 8.0, 'the drain ended with the connection, not the deadline'


def test_sigterm_deadline_closes_idle_connections():
    primary, listening, ports = start(1, '--timeout-ms', 500)
    with primary:
        port = ports.pop()
        with socket.create_connection(('127.0.0.1', port), timeout=WAIT) as sock:
            sock.sendall(b'ping\n')
            assert read_line(sock).endswith(b'ping')
            started = time.monotonic()
            primary.signal(signal.SIGTERM)
            assert sock.recv(10) == b''       # closed by the worker at the deadline
            assert 0.3 < time.monotonic() - started < WAIT
        exited = primary.wait_for(lambda e: e['event'] == 'exit')
        assert exited['code'] == 0
        assert primary.wait_exit() == 0


@pytest.fixture
def sock_dir():
    """A short temp dir for Unix socket paths (sun_path holds 107 bytes)."""
    with tempfile.TemporaryDirectory(prefix='gnet-cl-') as where:
        yield where


def start_on_path(workers, path, *extra):
    """A primary whose workers ``server.listen(path)``; ``{id: listening event}``."""
    primary = Process('primary.py', '--workers', workers, '--path', path, '--via', 'listen', *extra)
    listening = {}
    while len(listening) < workers:
        event = primary.wait_for(lambda e: e['event'] == 'listening')
        listening[event['id']] = event
    return primary, listening


def stop(primary):
    """SIGTERM the primary and wait until it has exited (0) after its workers."""
    primary.signal(signal.SIGTERM)
    primary.wait_for(lambda e: e['event'] == 'primary-exit')
    assert primary.wait_exit() == 0


def test_workers_share_a_unix_path_through_the_primary_round_robin(sock_dir):
    path = os.path.join(sock_dir, 'shared.sock')
    primary, listening = start_on_path(2, path)
    with primary:
        assert [e['address'] for e in listening.values()] == [{'address': path}] * 2
        assert stat.S_ISSOCK(os.stat(path).st_mode), 'the primary bound the path once'
        answers = collections.Counter()
        for i in range(8):
            ident, pid, text = ask(path, b'unix %d' % i)
            assert pid == listening[ident]['pid'] and text == b'unix %d' % i
            answers[ident] += 1
        assert set(answers) == set(listening), 'both workers answer'
        assert all(count == 4 for count in answers.values()), answers
        stop(primary)
    assert not os.path.exists(path), 'the primary removed the socket file when it closed'


def test_workers_share_a_unix_path_with_the_shared_socket_policy(sock_dir):
    path = os.path.join(sock_dir, 'shared.sock')
    primary, listening = start_on_path(2, path, '--policy', 'none')
    with primary:
        for i in range(6):
            ident, pid, text = ask(path, b'n%d' % i)
            assert pid == listening[ident]['pid'] and text == b'n%d' % i
        # workers close their duplicates before the primary: only the primary unlinks
        stop(primary)
    assert not os.path.exists(path)


def test_a_relative_unix_path_is_relative_to_the_workers_directory(sock_dir):
    # the primary runs in scaling/, its workers in sock_dir: the path names sock_dir/rel.sock
    primary, listening = start_on_path(2, 'rel.sock', '--cwd', sock_dir)
    with primary:
        path = os.path.join(sock_dir, 'rel.sock')
        assert [e['address'] for e in listening.values()] == [{'address': 'rel.sock'}] * 2
        assert not os.path.exists(os.path.join(HERE, 'rel.sock'))
        assert {ask(path, b'r%d' % i)[0] for i in range(4)} == set(listening)
        stop(primary)
    assert not os.path.exists(path)


# -- what keeps a worker alive: Node's rule for process' 'message'/'disconnect' listeners ----
PROBE_MS = 300  # how long a held worker must have lived before the primary pokes it


def worker_events(case, *extra):
    """Run ``keepalive.py CASE``: the primary's events up to its exit, as compact tuples."""
    with Process('keepalive.py', case, *extra) as primary:
        primary.wait_for(lambda e: e['event'] == 'primary-exit')
        assert primary.wait_exit() == 0
        return [(e['event'],) + tuple(v for k, v in sorted(e.items()) if k != 'event')
                for e in primary.seen]


@pytest.mark.parametrize('case', ['message', 'once'])
def test_a_message_listener_holds_the_worker_until_it_is_removed(case):
    # held until the primary's message; the listener removes itself and the worker exits by itself
    assert worker_events(case, '--probe-ms', PROBE_MS) == [
        ('online',), ('probe', True), ('message', 'got ping'), ('exit', 0, None), ('primary-exit',)]


def test_a_disconnect_listener_holds_the_worker_too():
    assert worker_events('disconnect', '--probe-ms', PROBE_MS, '--poke', 'disconnect') == [
        ('online',), ('probe', True), ('exit', 0, None), ('primary-exit',)]


@pytest.mark.parametrize('case', ['none', 'unref'])
def test_a_worker_without_listeners_or_unrefd_exits_by_itself(case):
    # no poke at all: the primary's guard would print 'killed' if the worker stayed
    assert worker_events(case) == [('online',), ('exit', 0, None), ('primary-exit',)]


def test_a_worker_exits_only_once_its_message_is_written():
    # 10 MB cannot go out in one write: the write in progress holds the channel, as in Node
    assert worker_events('send') == [('online',), ('message', 10 * 1000 * 1000), ('exit', 0, None),
                                     ('primary-exit',)]
