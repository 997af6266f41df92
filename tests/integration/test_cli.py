"""The ``gnet`` command, run as a subprocess against loopback and Unix sockets.

Covers ``gnet echo``, ``gnet proxy`` (16 MiB byte-exact both ways, half-close
forwarded, filters, limits, idle timeout, graceful stop), ``gnet connect``
(stdin/stdout relay, half-close, Node's error codes), ``gnet bench``, usage
errors (exit 2, one line, no traceback), and the README's Quick start from a
fresh clone.  Every subprocess is bounded and killed in a ``finally``; waits
are for lines and exits, never fixed sleeps.
"""

import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys

import pytest

import gnet
from proc_helpers import REPO, WAIT, Backend, Proc, closed_port, digest, env, exchange, gnet_cmd

MiB = 1 << 20


def connect_to(port):
    sock = socket.create_connection(('127.0.0.1', port), timeout=WAIT)
    return sock


def recv_exactly(sock, size):
    chunks, got = [], 0
    while got < size:
        data = sock.recv(size - got)
        if not data:
            break
        chunks.append(data)
        got += len(data)
    return b''.join(chunks)


def recv_until_eof(sock):
    chunks = []
    while True:
        try:
            data = sock.recv(1 << 16)
        except ConnectionResetError:
            break
        if not data:
            break
        chunks.append(data)
    return b''.join(chunks)


def one_line_error(proc_or_result):
    """stderr of a finished command: exactly one line, no traceback."""
    lines = [line for line in proc_or_result if line.strip()]
    assert len(lines) == 1, lines
    assert 'Traceback' not in lines[0]
    return lines[0]


def run_gnet(*args, stdin=b'', timeout=WAIT):
    return subprocess.run(gnet_cmd(*args), input=stdin, capture_output=True, env=env(),
                          timeout=timeout)


# -- gnet echo -------------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_echo_over_tcp_greets_echoes_and_exits_cleanly_on_sigint():
    with Proc(gnet_cmd('echo', '--port', 0, '--host', '127.0.0.1')) as proc:
        port = proc.tcp_port()
        assert proc.stdout == ['listening on 127.0.0.1:%d' % port]
        with connect_to(port) as sock:
            assert recv_exactly(sock, 7) == b'hello\r\n'
            peer = '127.0.0.1:%d' % sock.getsockname()[1]
            payload = os.urandom(256 * 1024)
            sock.sendall(payload)
            assert recv_exactly(sock, len(payload)) == payload
        proc.wait_line(re.escape('client disconnected ' + peer))
        proc.signal(signal.SIGINT)
        assert proc.wait() == 0
        assert proc.stdout[1:] == ['client connected ' + peer, 'client disconnected ' + peer]
        assert proc.stderr == []  # no connection open at the signal: nothing to drain


@pytest.mark.timeout(60)
def test_echo_over_a_unix_socket(tmp_path):
    path = str(tmp_path / 'echo.sock')
    with Proc(gnet_cmd('echo', '--path', path)) as proc:
        assert proc.wait_listening() == path
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(WAIT)
            sock.connect(path)
            assert recv_exactly(sock, 7) == b'hello\r\n'
            sock.sendall(b'over ipc\n')
            assert recv_exactly(sock, 9) == b'over ipc\n'
        proc.signal(signal.SIGTERM)
        assert proc.wait() == 0
    assert not os.path.exists(path), 'the socket file is unlinked on close'


@pytest.mark.timeout(60)
def test_echo_sigint_ends_open_connections_gracefully():
    with Proc(gnet_cmd('-v', 'echo', '--port', 0, '--host', '127.0.0.1', '--grace', 5000)) \
            as proc:
        port = proc.tcp_port()
        with connect_to(port) as sock:
            assert recv_exactly(sock, 7) == b'hello\r\n'
            proc.signal(signal.SIGINT)
            assert recv_until_eof(sock) == b''  # the server ended our connection
        assert proc.wait() == 0
        assert not any('Traceback' in line for line in proc.stderr)
        assert ('stopping: waiting for 1 open connection to finish (again to stop now)'
                in proc.stderr), proc.report()


@pytest.mark.timeout(60)
def test_echo_address_in_use_is_one_line_and_exit_1():
    with socket.socket() as busy:
        busy.bind(('127.0.0.1', 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run_gnet('echo', '--port', port, '--host', '127.0.0.1')
    assert result.returncode == 1
    line = one_line_error(result.stderr.decode().splitlines())
    assert line == 'gnet echo: listen EADDRINUSE: address already in use 127.0.0.1:%d' % port
    assert result.stdout == b''


# -- gnet proxy ------------------------------------------------------------------------------

def proxy_ends(kind, tmp_path):
    """(LISTEN argument, address to connect to or None until known)."""
    if kind == 'unix':
        listen = str(tmp_path / 'proxy.sock')
        return listen, listen
    return '127.0.0.1:0', None


@pytest.mark.timeout(120)
@pytest.mark.parametrize('kind', ['tcp', 'unix'])
def test_proxy_moves_16_mib_each_way_byte_exact_and_forwards_half_close(kind, tmp_path):
    down = os.urandom(16 * MiB)
    up = os.urandom(16 * MiB)
    backend_path = tmp_path / 'backend.sock' if kind == 'unix' else None
    with Backend(down, backend_path) as backend:
        listen, address = proxy_ends(kind, tmp_path)
        with Proc(gnet_cmd('-v', 'proxy', listen, backend.target)) as proc:
            shown = proc.wait_listening()
            if address is None:
                address = ('127.0.0.1', int(shown.rsplit(':', 1)[1]))
            else:
                assert shown == address
            reply = exchange(address, up, timeout=60)
            # the payload, then the trailer the backend sent after our FIN reached it
            trailer = b'got %d %s\n' % (len(up), digest(up).encode())
            assert len(reply) == len(down) + len(trailer)
            assert digest(reply[:len(down)]) == digest(down)
            assert reply[len(down):] == trailer
            assert backend.received == [(len(up), digest(up))]
            proc.signal(signal.SIGINT)
            assert proc.wait() == 0
        log = '\n'.join(proc.stderr)
        assert re.search(r'gnet\.proxy .* -> %s: %d bytes up, %d bytes down, [0-9.]+ s$'
                         % (re.escape(backend.target), len(up), len(down) + len(trailer)),
                         log, re.M), log


@pytest.mark.timeout(60)
def test_proxy_between_tcp_and_unix_sockets(tmp_path):
    with Backend(b'from unix\n', tmp_path / 'b.sock') as backend:
        with Proc(gnet_cmd('proxy', '127.0.0.1:0', backend.target)) as proc:
            port = proc.tcp_port()
            reply = exchange(('127.0.0.1', port), b'from tcp\n')
            assert reply == b'from unix\ngot 9 %s\n' % digest(b'from tcp\n').encode()


def proxy_log(proc, pattern):
    """Wait until the proxy's stderr has a line matching ``pattern`` (it exits first)."""
    proc.signal(signal.SIGINT)
    assert proc.wait() == 0
    log = '\n'.join(proc.stderr)
    assert re.search(pattern, log), log
    return log


@pytest.mark.timeout(60)
@pytest.mark.parametrize('rules, served', [
    (['--deny', '127.0.0.0/8'], False),
    (['--allow', '10.0.0.0/8'], False),
    (['--allow', '10.0.0.0/8', '--allow', '127.0.0.1'], True),
    (['--allow', '127.0.0.0/8', '--deny', '127.0.0.1'], False),
    (['--deny', '::1/128'], True),
])
def test_proxy_allow_and_deny(rules, served):
    with Backend(b'hi\n') as backend:
        with Proc(gnet_cmd('-v', 'proxy', '127.0.0.1:0', backend.target, *rules)) as proc:
            port = proc.tcp_port()
            with connect_to(port) as sock:
                try:
                    sock.sendall(b'x')
                    sock.shutdown(socket.SHUT_WR)
                    reply = recv_until_eof(sock)
                except OSError:  # refused peers may be closed before we finish writing
                    if served:
                        raise
                    reply = b''
            if served:
                assert reply.startswith(b'hi\n')
                proxy_log(proc, r'bytes up')
            else:
                assert reply == b''
                proxy_log(proc, r'127\.0\.0\.1:\d+ refused: (denied|not allowed)')
                assert backend.received == []


@pytest.mark.timeout(60)
def test_proxy_max_connections_drops_the_extra_one():
    with Backend(b'') as backend:
        with Proc(gnet_cmd('-v', 'proxy', '127.0.0.1:0', backend.target,
                           '--max-connections', 1)) as proc:
            port = proc.tcp_port()
            with connect_to(port) as first:
                first.sendall(b'held open')
                assert backend.accepted.wait(WAIT)  # the proxy counts it
                with connect_to(port) as second:
                    assert recv_until_eof(second) == b''  # dropped
                first.shutdown(socket.SHUT_WR)
                assert recv_until_eof(first).startswith(b'got 9 ')
            proxy_log(proc, r'dropped: over --max-connections 1')


@pytest.mark.timeout(60)
def test_proxy_idle_timeout_closes_a_quiet_connection():
    with Backend(b'') as backend:
        with Proc(gnet_cmd('-v', 'proxy', '127.0.0.1:0', backend.target,
                           '--idle-timeout', 300)) as proc:
            port = proc.tcp_port()
            with connect_to(port) as sock:
                sock.sendall(b'then nothing')
                assert recv_until_eof(sock) == b''  # closed by the proxy
            proxy_log(proc, r'closed: idle for 300 ms')


@pytest.mark.timeout(60)
def test_proxy_target_refused_closes_the_client_and_logs_node_error():
    holder, port = closed_port()
    with holder:
        with Proc(gnet_cmd('-v', 'proxy', '127.0.0.1:0', '127.0.0.1:%d' % port)) as proc:
            with connect_to(proc.tcp_port()) as sock:
                assert recv_until_eof(sock) == b''
            proxy_log(proc, r'error: connect ECONNREFUSED 127\.0\.0\.1:%d' % port)


@pytest.mark.timeout(60)
def test_proxy_sigint_stops_accepting_lets_open_connections_finish():
    with Backend(b'') as backend:
        with Proc(gnet_cmd('-v', 'proxy', '127.0.0.1:0', backend.target, '--grace', 10000)) \
                as proc:
            port = proc.tcp_port()
            with connect_to(port) as sock:
                sock.sendall(b'before ')
                assert backend.accepted.wait(WAIT)  # the proxy has it
                proc.signal(signal.SIGINT)
                proc.wait_line(r'stopping: no new connections, 1 open', stream='stderr')
                with pytest.raises(ConnectionRefusedError):
                    connect_to(port)
                # the open connection still works both ways
                sock.sendall(b'after')
                sock.shutdown(socket.SHUT_WR)
                assert recv_until_eof(sock) == b'got 12 %s\n' % digest(b'before after').encode()
            assert proc.wait() == 0


@pytest.mark.timeout(60)
def test_proxy_grace_period_is_bounded():
    with Backend(b'') as backend:
        with Proc(gnet_cmd('proxy', '127.0.0.1:0', backend.target, '--grace', 200)) as proc:
            with connect_to(proc.tcp_port()) as sock:
                sock.sendall(b'x')
                assert backend.accepted.wait(WAIT)  # the proxy has it
                proc.signal(signal.SIGTERM)
                assert recv_until_eof(sock) == b''  # destroyed after 200 ms
            assert proc.wait() == 0


# -- gnet connect ----------------------------------------------------------------------------

@pytest.mark.timeout(60)
@pytest.mark.parametrize('kind', ['tcp', 'unix'])
def test_connect_relays_stdin_and_stdout_and_half_closes(kind, tmp_path):
    down = os.urandom(3 * MiB)
    up = os.urandom(2 * MiB) + b'\x00\r\n\xff'
    with Backend(down, tmp_path / 'b.sock' if kind == 'unix' else None) as backend:
        result = run_gnet('connect', backend.target, stdin=up, timeout=60)
        assert result.returncode == 0, result.stderr
        trailer = b'got %d %s\n' % (len(up), digest(up).encode())
        assert result.stdout == down + trailer  # byte for byte, then the reply to our FIN
        assert result.stderr == b''
        assert backend.received == [(len(up), digest(up))]


@pytest.mark.timeout(60)
def test_connect_exits_when_the_peer_ends_even_if_stdin_stays_open():
    with socket.socket() as listener:
        listener.bind(('127.0.0.1', 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        with Proc(gnet_cmd('connect', port), stdin=subprocess.PIPE) as proc:
            conn, _ = listener.accept()
            with conn:
                conn.sendall(b'goodbye\n')
                conn.shutdown(socket.SHUT_WR)
                assert proc.wait() == 0, proc.report()  # stdin is still open
                assert recv_until_eof(conn) == b''      # and our side was ended too
            assert proc.stdout == ['goodbye']


@pytest.mark.timeout(60)
def test_connect_sigint_half_closes_and_exits_cleanly():
    with Backend(b'') as backend:
        with Proc(gnet_cmd('connect', backend.target), stdin=subprocess.PIPE) as proc:
            proc.popen.stdin.write(b'typed so far')
            proc.popen.stdin.flush()
            assert backend.got_data.wait(WAIT)
            proc.signal(signal.SIGINT)
            # our FIN reached the backend, which answered; then we exit
            proc.wait_line(r'^got 12 ')
            assert proc.wait() == 0, proc.report()
        assert backend.received == [(12, digest(b'typed so far'))]


@pytest.mark.timeout(60)
def test_connect_with_echo_server_through_a_pipe():
    with Proc(gnet_cmd('echo', '--port', 0, '--host', '127.0.0.1')) as echo:
        port = echo.tcp_port()
        result = run_gnet('connect', port, stdin=b'ping\n')
        assert result.returncode == 0, result.stderr
        assert result.stdout == b'hello\r\nping\n'


@pytest.mark.timeout(60)
def test_connect_refused_names_node_error_and_exits_1():
    holder, port = closed_port()
    with holder:
        result = run_gnet('connect', '127.0.0.1:%d' % port)
    assert result.returncode == 1
    assert one_line_error(result.stderr.decode().splitlines()) == \
        'gnet connect: connect ECONNREFUSED 127.0.0.1:%d' % port
    assert result.stdout == b''


@pytest.mark.timeout(60)
def test_connect_to_a_missing_unix_socket(tmp_path):
    path = str(tmp_path / 'nobody.sock')
    result = run_gnet('connect', path)
    assert result.returncode == 1
    assert one_line_error(result.stderr.decode().splitlines()) == \
        'gnet connect: connect ENOENT %s' % path


# -- gnet --version, and no bench ---------------------------------------------------------------

@pytest.mark.timeout(60)
def test_version_names_gnet_gevent_and_python():
    import gevent
    result = run_gnet('--version')
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == 'gnet %s (gevent %s, Python %s)' % (
        gnet.__version__, gevent.__version__, platform.python_version())


@pytest.mark.timeout(60)
def test_bench_is_not_a_command_of_the_installed_tool():
    """The benchmarks need the source tree (bench/run.py), so the command does not offer them."""
    result = run_gnet('bench')
    assert result.returncode == 2 and b'invalid choice' in result.stderr
    assert b'bench' not in run_gnet('--help').stdout


@pytest.mark.timeout(120)
def test_the_benchmark_driver_runs_from_the_source_tree():
    result = subprocess.run([sys.executable, str(REPO / 'bench' / 'run.py'), '--help'],
                            capture_output=True, env=env(), timeout=WAIT)
    assert result.returncode == 0, result.stderr
    assert b'usage:' in result.stdout


# -- usage -------------------------------------------------------------------------------------

@pytest.mark.timeout(60)
@pytest.mark.parametrize('argv', [
    [],
    ['nosuch'],
    ['echo', '--port', 'x'],
    ['echo', '--port', '70000'],
    ['echo', '--bogus'],
    ['echo', '--path', '/tmp/x.sock', '--host', '127.0.0.1'],
    ['proxy'],
    ['proxy', '8080'],
    ['proxy', '::1:8080', '9000'],
    ['proxy', 'localhost', '9000'],
    ['proxy', '8080', '0'],
    ['proxy', '8080', 'host:'],
    ['proxy', '[::1]8080', '9000'],
    ['proxy', '8080', '9000', '--allow', 'nonsense'],
    ['proxy', '8080', '9000', '--deny', '10.0.0.0/33'],
    ['proxy', '8080', '9000', '--idle-timeout', '-5'],
    ['proxy', '8080', '9000', '--max-connections', '0'],
    ['proxy', '/tmp/p.sock', '9000', '--allow', '127.0.0.1'],
    ['connect'],
    ['connect', '127.0.0.1:99999'],
    ['connect', '1', '2'],
    ['echo', '--port', '\u00b2'],
])
def test_usage_errors_are_one_line_and_exit_2(argv):
    result = run_gnet(*argv)
    assert result.returncode == 2, result
    line = one_line_error(result.stderr.decode().splitlines())
    assert line.startswith('gnet'), line
    assert '--help' in line


@pytest.mark.timeout(60)
@pytest.mark.parametrize('argv', [[], ['echo'], ['proxy'], ['connect']])
def test_help_on_every_subcommand(argv):
    result = run_gnet(*(argv + ['--help']))
    assert result.returncode == 0
    assert result.stdout.startswith(b'usage: gnet')
    assert result.stderr == b''


# -- the README's Quick start, from a fresh clone ------------------------------------------------

def quick_start_commands(root=REPO):
    """The two ``sh`` blocks of the README's *Quick start* section, verbatim."""
    text = (root / 'README.md').read_text(encoding='utf8')
    section = text.split('\n## Quick start', 1)[1].split('\n## ', 1)[0]
    return re.findall(r'```sh\n(.*?)\n```', section, re.S)


def test_readme_quick_start_has_exactly_the_two_commands():
    assert quick_start_commands() == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/gnet echo",
        "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest",
    ]


#: the port of the README's echo server (gnet echo's default)
QUICK_START_PORT = 8124


def clean_env():
    out = {key: value for key, value in os.environ.items()
           if key not in ('PYTHONPATH', 'VIRTUAL_ENV', 'PYTHONHOME', 'PYTEST_ADDOPTS')}
    out['PYTHONUNBUFFERED'] = '1'
    return out


@pytest.mark.timeout(900)
def test_readme_quick_start_from_a_fresh_clone(tmp_path):
    if shutil.which('git') is None or not (REPO / '.git').exists():
        pytest.fail('the Quick-start test needs git and a git checkout')
    with socket.socket() as probe:
        try:
            probe.bind(('0.0.0.0', QUICK_START_PORT))
        except OSError:
            pytest.fail('port %d, which the Quick start uses, is busy on this machine'
                        % QUICK_START_PORT)
    clone = tmp_path / 'clone'
    subprocess.run(['git', 'clone', '--quiet', str(REPO), str(clone)], check=True,
                   timeout=120, env=clean_env())
    serve, test = quick_start_commands(clone)

    # (1) as written: install, then the echo server in the foreground
    with Proc(['bash', '-c', serve], cwd=str(clone), environ=clean_env()) as proc:
        assert proc.wait_listening(timeout=600).endswith(':%d' % QUICK_START_PORT)
        with socket.create_connection(('127.0.0.1', QUICK_START_PORT), timeout=WAIT) as sock:
            assert recv_exactly(sock, 7) == b'hello\r\n'
            sock.sendall(b'quick start\n')
            assert recv_exactly(sock, 12) == b'quick start\n'
        os.killpg(proc.popen.pid, signal.SIGINT)
        assert proc.wait(timeout=60) == 0, proc.report()
        assert not any('Traceback' in line for line in proc.stderr), proc.report()

    # (2) as written, but collecting the suite instead of running it (no recursion)
    assert test.endswith('.venv/bin/python -m pytest')
    result = subprocess.run(['bash', '-c', test + ' --collect-only -q'], cwd=str(clone),
                            env=clean_env(), capture_output=True, timeout=600)
    out = result.stdout.decode('utf8', 'replace')
    assert result.returncode == 0, out + result.stderr.decode('utf8', 'replace')
    assert re.search(r'^\d+ tests collected', out, re.M), out

