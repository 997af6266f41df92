"""Every file in ``examples/`` runs, as a subprocess, against real sockets.

Each example prints ``listening on ...`` (or a result line) that the test
waits for, and ends by itself (``--once``, or when its client is done), so
every test is bounded; the process group is killed in a ``finally`` anyway.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from proc_helpers import WAIT, Backend, Proc, digest, env, example_cmd, exchange

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', 'examples')


def node():
    path = shutil.which('node')
    if path is None:
        pytest.skip('node is not installed')
    return path


def run_example(name, *args, timeout=WAIT):
    return subprocess.run(example_cmd(name, *args), capture_output=True, env=env(),
                          timeout=timeout)


def test_every_example_has_a_test():
    names = sorted(name for name in os.listdir(EXAMPLES) if name.endswith(('.py', '.js')))
    with open(__file__, encoding='utf8') as f:
        source = f.read()
    missing = [name for name in names if "'%s'" % name not in source]
    assert not missing, 'examples without a test: %s' % missing


# -- the seed's echo server and client -------------------------------------------------------

@pytest.mark.timeout(60)
@pytest.mark.parametrize('transport', ['tcp', 'unix'])
def test_echo_server_and_client(transport, tmp_path):
    where = str(tmp_path / 'echo.sock') if transport == 'unix' else '0'
    with Proc(example_cmd('echo_server.py', where, '--once')) as server:
        server.wait_line(r'^server bound$')
        address = server.wait_listening()
        target = address if transport == 'unix' else address.rsplit(':', 1)[1]
        client = run_example('echo_client.py', target)
        assert client.returncode == 0, client.stderr
        out = client.stdout.decode()
        assert out.startswith('connected to server!\n'), out
        assert 'hello\r\n' in out
        assert out.endswith('disconnected from server\n'), out
        assert server.wait() == 0, server.report()
        assert server.stdout[2:] == ['client connected', 'client disconnected']
    if transport == 'unix':
        assert not os.path.exists(where)


# -- EADDRINUSE retry ------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_listen_retry_waits_for_the_address_to_be_free():
    busy = socket.socket()
    try:
        busy.bind(('127.0.0.1', 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with Proc(example_cmd('listen_retry.py', port, '127.0.0.1', '--delay', 50,
                              '--once')) as proc:
            proc.wait_line(r'^Address in use, retrying\.\.\.$')
            busy.close()
            assert proc.wait_listening() == '127.0.0.1:%d' % port
            assert proc.wait() == 0, proc.report()
    finally:
        busy.close()


@pytest.mark.timeout(60)
def test_listen_retry_gives_up():
    with socket.socket() as busy:
        busy.bind(('127.0.0.1', 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run_example('listen_retry.py', port, '127.0.0.1', '--delay', 10, '--tries', 3)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines[:2] == ['Address in use, retrying...'] * 2
    assert lines[2].startswith('giving up: listen EADDRINUSE')


# -- onread ------------------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_onread_reuses_one_buffer():
    result = run_example('onread_client.py')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[:-1] == ['line %d' % i for i in range(1000)]
    size = sum(len('line %d\n' % i) for i in range(1000))
    found = re.match(r'^received (\d+) bytes in (\d+) reads into one 4096-byte buffer$',
                     lines[-1])
    assert found, lines[-1]
    assert int(found.group(1)) == size
    assert int(found.group(2)) >= -(-size // 4096)


@pytest.mark.timeout(60)
def test_onread_client_against_a_server():
    # listen_retry.py without --once answers every connection 'goodbye' and ends it
    with Proc(example_cmd('listen_retry.py', 0, '127.0.0.1')) as server:
        port = server.wait_listening().rsplit(':', 1)[1]
        result = run_example('onread_client.py', port)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        'goodbye', 'received 8 bytes in 1 reads into one 4096-byte buffer']


# -- BlockList ----------------------------------------------------------------------------------

SEED_BLOCKLIST_JS = r"""
const net = require('node:net');
const blockList = new net.BlockList();
blockList.addAddress('123.123.123.123');
blockList.addRange('10.0.0.1', '10.0.0.10');
blockList.addSubnet('8592:757c:efae:4e45::', 64, 'ipv6');

console.log(blockList.check('123.123.123.123')); // Prints: true
console.log(blockList.check('10.0.0.3')); // Prints: true
console.log(blockList.check('222.111.111.222')); // Prints: false

// IPv6 notation for IPv4 addresses works:
console.log(blockList.check('::ffff:7b7b:7b7b', 'ipv6')); // Prints: true
console.log(blockList.check('::ffff:123.123.123.123', 'ipv6')); // Prints: true
console.log(JSON.stringify(blockList.rules));
"""


@pytest.mark.timeout(60)
def test_blocklist_example_prints_what_node_prints():
    result = run_example('blocklist.py')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[:5] == ['true', 'true', 'false', 'true', 'true']
    assert lines[-1] == 'blocked peer refused'
    expected = subprocess.run([node(), '-e', SEED_BLOCKLIST_JS], capture_output=True,
                              timeout=WAIT, check=True).stdout.decode().splitlines()
    assert lines[:5] == expected[:5]
    assert eval(lines[5]) == eval(expected[5])  # the rules, in Node's order and wording


# -- the proxy, in Python and in JavaScript --------------------------------------------------------

@pytest.mark.timeout(60)
@pytest.mark.parametrize('language', ['python', 'node'])
def test_proxy_example_moves_bytes_and_forwards_half_close(language):
    down, up = os.urandom(1 << 20), os.urandom((1 << 20) + 17)
    with Backend(down) as backend:
        args = [backend.address[1], '127.0.0.1', 0, '--once']
        if language == 'node':
            cmd = [node(), os.path.join(EXAMPLES, 'proxy.js')] + [str(a) for a in args]
        else:
            cmd = example_cmd('proxy.py', *args)
        with Proc(cmd) as proc:
            port = int(proc.wait_listening().rsplit(':', 1)[1])
            reply = exchange(('127.0.0.1', port), up)
            trailer = b'got %d %s\n' % (len(up), digest(up).encode())
            assert reply == down + trailer
            assert proc.wait() == 0, proc.report()
            found = re.match(r'^closed: (\d+) bytes up, (\d+) bytes down, \d+ ms$',
                             proc.stdout[-1])
            assert found, proc.report()
            assert (int(found.group(1)), int(found.group(2))) == (len(up), len(reply))


@pytest.mark.timeout(60)
def test_proxy_example_reports_a_refused_target():
    with socket.socket() as holder:
        holder.bind(('127.0.0.1', 0))
        with Proc(example_cmd('proxy.py', holder.getsockname()[1], '127.0.0.1', 0,
                              '--once')) as proc:
            port = int(proc.wait_listening().rsplit(':', 1)[1])
            with socket.create_connection(('127.0.0.1', port), timeout=WAIT) as sock:
                assert sock.recv(1) == b''
            assert proc.wait() == 0, proc.report()
            assert proc.stderr[0].startswith('proxy error: connect ECONNREFUSED'), proc.report()


# -- the TLS-terminating proxy, in Python and in JavaScript ----------------------------------------

@pytest.mark.timeout(60)
@pytest.mark.parametrize('language', ['python', 'node'])
def test_tls_proxy_example_terminates_tls_byte_exact_with_half_close(language, pki):
    down, up = os.urandom(1 << 20), os.urandom((1 << 20) + 17)
    with Backend(down) as backend:
        args = [pki.leaf.chain_path, pki.leaf.key_path, backend.address[1], '127.0.0.1', 0,
                '--once']
        if language == 'node':
            cmd = [node(), os.path.join(EXAMPLES, 'tls_proxy.js')] + [str(a) for a in args]
        else:
            cmd = example_cmd('tls_proxy.py', *args)
        with Proc(cmd) as proc:
            port = int(proc.wait_listening().rsplit(':', 1)[1])
            # a plain-text client first: a 'tlsClientError', and the server serves on
            with socket.create_connection(('127.0.0.1', port), timeout=WAIT) as plain:
                plain.sendall(b'GET / HTTP/1.0\r\n\r\n')
                proc.wait_line(r'^TLS handshake failed: ERR_SSL_', stream='stderr')
            client = subprocess.run(
                [sys.executable, '-m', 'gnet', 'connect', '--tls', '--ca', pki.root.cert_path,
                 str(port)], input=up, capture_output=True, env=env(), timeout=WAIT)
            assert client.returncode == 0, client.stderr
            trailer = b'got %d %s\n' % (len(up), digest(up).encode())
            assert client.stdout == down + trailer
            assert proc.wait() == 0, proc.report()
            assert proc.stdout[1] == 'secure: TLSv1.3', proc.report()
            found = re.match(r'^closed: (\d+) bytes up, (\d+) bytes down, \d+ ms$',
                             proc.stdout[-1])
            assert found, proc.report()
            assert (int(found.group(1)), int(found.group(2))) == (len(up), len(down + trailer))


# -- chat with backpressure ----------------------------------------------------------------------

def chat_client(port, rcvbuf=None):
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(WAIT)
    sock.connect(('127.0.0.1', port))
    return sock


class Talker(threading.Thread):
    """Sends 1 KiB lines until told to stop (or a bound); counts whole lines sent.

    With ``paced_by`` (a :class:`Watcher`), it sends a burst only once that
    reader has received at least as many bytes as were sent before the
    previous burst: a reader that keeps up then stays within one burst of
    the talk however the two threads (greenlets, when monkey-patched) are
    scheduled on a loaded machine.  Unpaced, a talker can outrun a reading
    client and get it dropped as too slow (seen once under load, patched).
    """

    LINE = b'x' * 1000 + b'\n'
    BURST = 16
    LIMIT = 256 << 20

    def __init__(self, sock, paced_by=None):
        threading.Thread.__init__(self, daemon=True)
        self.sock = sock
        self.paced_by = paced_by
        self.stop = threading.Event()
        self.lines = 0
        self.error = None

    def run(self):
        try:
            while not self.stop.is_set() and self.lines * len(self.LINE) < self.LIMIT:
                before = self.lines * len(self.LINE)
                if self.paced_by is not None and not self.paced_by.wait_received(before - len(self.LINE) * self.BURST):
                    self.error = 'the paced reader fell behind by more than a burst for %s s' % WAIT
                    return
                self.sock.sendall(self.LINE * self.BURST)
                self.lines += self.BURST
                # a yield, not a wait: monkey-patched, these threads are greenlets,
                # and a talker whose sends never block would starve the Watcher
                time.sleep(0)
        except OSError as exc:
            self.error = exc


class Watcher(threading.Thread):
    """Reads everything as fast as it can; notes when ``marker`` went by."""

    def __init__(self, sock, marker):
        threading.Thread.__init__(self, daemon=True)
        self.sock = sock
        self.marker = marker
        self.seen = threading.Event()
        self.received = 0
        self.progress = threading.Condition()

    def wait_received(self, count):
        """Block until ``count`` bytes have been received (bounded by WAIT)."""
        with self.progress:
            return self.progress.wait_for(lambda: self.received >= count or not self.is_alive(), WAIT)

    def run(self):
        tail = b''
        try:
            while True:
                data = self.sock.recv(1 << 16)
                if not data:
                    return
                with self.progress:
                    self.received += len(data)
                    self.progress.notify_all()
                tail = tail[-len(self.marker):] + data
                if self.marker in tail:
                    self.seen.set()
        except OSError:
            return


@pytest.mark.timeout(120)
def test_chat_drops_a_client_that_does_not_read():
    with Proc(example_cmd('chat_server.py', '--max-queue', 65536, '--once')) as proc:
        port = int(proc.wait_listening().rsplit(':', 1)[1])
        slow = chat_client(port, rcvbuf=4096)
        proc.wait_line(r'^guest1 joined$')
        fast = chat_client(port)
        proc.wait_line(r'^guest2 joined$')
        watcher = Watcher(chat_client(port), b'* guest1 left\n')
        watcher.start()
        proc.wait_line(r'^guest3 joined$')
        talker = Talker(fast, paced_by=watcher)
        talker.start()
        try:
            found = proc.wait_line(r'^guest1 dropped: too slow, (\d+) bytes queued$', timeout=60)
            assert 65536 < int(found.group(1)) < 65536 + 32 * 1024  # bounded
            # the reader that keeps up is not dropped, and hears of it
            assert watcher.seen.wait(WAIT)
            talker.stop.set()
            talker.join(WAIT)
            assert talker.error is None, talker.error
            fast.shutdown(socket.SHUT_WR)
            proc.wait_line(r'^guest2 left$')  # every line printed before it has been read
            assert not any('guest3 dropped' in line for line in proc.stdout), proc.report()
        finally:
            talker.stop.set()
            talker.join(WAIT)
            for sock in (slow, fast, watcher.sock):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            watcher.join(WAIT)
            for sock in (slow, fast, watcher.sock):
                sock.close()
        assert proc.wait() == 0, proc.report()


class LineCounter(threading.Thread):
    """Counts the lines equal to ``line`` until ``last`` arrives (or EOF)."""

    def __init__(self, sock, line, last):
        threading.Thread.__init__(self, daemon=True)
        self.sock, self.line, self.last = sock, line, last
        self.count = 0
        self.finished = False

    def run(self):
        with self.sock.makefile('rb') as reader:
            try:
                for received in reader:
                    if received == self.line:
                        self.count += 1
                    elif received == self.last:
                        self.finished = True
                        return
            except OSError:
                return


@pytest.mark.timeout(120)
def test_chat_pause_policy_loses_nothing():
    with Proc(example_cmd('chat_server.py', '--policy', 'pause', '--once')) as proc:
        port = int(proc.wait_listening().rsplit(':', 1)[1])
        slow = chat_client(port, rcvbuf=4096)
        proc.wait_line(r'^guest1 joined$')
        fast = chat_client(port)
        proc.wait_line(r'^guest2 joined$')
        talker = Talker(fast)
        counter = LineCounter(slow, b'guest2: ' + Talker.LINE, b'* guest2 left\n')
        try:
            talker.start()
            proc.wait_line(r'^guest2 paused: guest1 is slow$', timeout=60)
            # now the slow client reads everything: the sender resumes, every line arrives
            talker.stop.set()
            counter.start()
            talker.join(60)
            assert talker.error is None
            fast.shutdown(socket.SHUT_WR)
            counter.join(60)
            assert counter.finished
            assert counter.count == talker.lines
        finally:
            talker.stop.set()
            for sock in (slow, fast):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            talker.join(WAIT)
            if counter.ident is not None:
                counter.join(WAIT)
            slow.close()
            fast.close()
        assert proc.wait() == 0, proc.report()
        assert 'guest2 resumed' in proc.stdout


# -- idle timeout and keep-alive ------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_idle_timeout_example():
    result = run_example('idle_timeout.py', '--idle', 300, '--pings', 3, '--interval', 100)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert re.match(r'^listening on 127\.0\.0\.1:\d+$', lines[0])
    assert lines[1:6] == ['server: got ping 1', 'server: got ping 2', 'server: got ping 3',
                          'server: idle for 300 ms, closing', 'client: got bye: idle for 300 ms']
    quiet = float(re.match(r'^client: closed by the server ([0-9.]+) s after the last ping$',
                           lines[6]).group(1))
    assert 0.28 <= quiet < 5


# -- gnet in a WSGI app ----------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_wsgi_app_calls_a_backend_over_gnet():
    with Proc(example_cmd('wsgi_backend.py', 0, '--once')) as proc:
        url = proc.wait_listening()
        assert url.startswith('http://127.0.0.1:')
        with urllib.request.urlopen(url + 'upper?text=hello%20w%C3%B6rld', timeout=WAIT) as r:
            assert r.status == 200
            assert r.read().decode('utf8') == 'HELLO WÖRLD\n'
        assert proc.wait() == 0, proc.report()


@pytest.mark.timeout(60)
def test_wsgi_app_reports_a_refused_backend_as_502():
    with socket.socket() as holder:
        holder.bind(('127.0.0.1', 0))
        with Proc(example_cmd('wsgi_backend.py', 0, '--backend', holder.getsockname()[1])) \
                as proc:
            url = proc.wait_listening()
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(url + 'upper?text=x', timeout=WAIT)
            assert info.value.code == 502
            assert info.value.read().startswith(b'backend: connect ECONNREFUSED')
            info.value.close()



@pytest.mark.timeout(60)
def test_the_readme_example_runs(tmp_path):
    with open(os.path.join(EXAMPLES, '..', 'README.md'), encoding='utf8') as f:
        code = re.search(r'```python\n(.*?)```', f.read(), re.S).group(1)
    assert 'server.listen(8124,' in code
    script = tmp_path / 'readme_example.py'
    script.write_text(code.replace('server.listen(8124,', 'server.listen(0,'), encoding='utf8')
    with Proc([sys.executable, str(script)]) as proc:
        proc.wait_line(r'^server bound$')
