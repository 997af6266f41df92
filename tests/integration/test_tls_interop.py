"""gnet.tls against other TLS implementations: OpenSSL's own tools and Python's stdlib ssl.

* a gnet server and ``openssl s_client`` (the chain verified against the test root,
  SNI, ALPN, data echoed; ALPN with nothing in common refused by both);
* a gnet client and ``openssl s_server -rev`` (which sends each line back reversed),
  with and without mutual TLS (``-Verify``);
* a gnet server and a blocking ``ssl.SSLSocket`` client in an OS thread.

The tools run as cooperative gevent subprocesses (their output is read line by line
until a marker, under a deadline, while the gnet loop keeps running), in their own
process group, killed on teardown; everything is on loopback.
"""

import hashlib
import textwrap
import sys
import json
import os
import re
import signal
import shutil

import gevent
import pytest
from gevent import subprocess
from gevent.event import AsyncResult

import gnet
import gnet.tls as tls
from net_helpers import WAIT, tls_servers

OPENSSL = shutil.which('openssl')
pytestmark = pytest.mark.skipif(OPENSSL is None, reason='the openssl command is not installed')


class Tool:
    """An ``openssl`` command with stdout and stderr merged, read line by line."""

    def __init__(self, *args):
        self.popen = subprocess.Popen((OPENSSL,) + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        self.lines = []
        self.eof = False

    def wait_line(self, pattern, timeout=WAIT):
        """The first line so far (or to come, within ``timeout``) matching ``pattern``."""
        regex = re.compile(pattern)
        try:
            with gevent.Timeout(timeout):
                index = 0
                while True:
                    while index < len(self.lines):
                        found = regex.search(self.lines[index])
                        index += 1
                        if found:
                            return found
                    if self.eof:
                        raise AssertionError('openssl ended before a line matching %r:\n%s'
                                             % (pattern, self.report()))
                    raw = self.popen.stdout.readline()
                    if not raw:
                        self.eof = True
                    else:
                        self.lines.append(raw.decode('utf-8', 'replace').rstrip('\r\n'))
        except gevent.Timeout:
            raise AssertionError('no line matching %r within %ss:\n%s'
                                 % (pattern, timeout, self.report())) from None

    def send(self, data):
        self.popen.stdin.write(data)
        self.popen.stdin.flush()

    def report(self):
        return '\n'.join('  ' + line for line in self.lines)

    def close(self):
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except OSError:
                pass
        self.popen.wait(WAIT)
        for pipe in (self.popen.stdin, self.popen.stdout):
            pipe.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def serve(pki):
    """``serve(listener, **options)`` -> a TLS server on 127.0.0.1 presenting leaf + intermediate."""
    with tls_servers(pki.inter_leaf) as start:
        yield lambda listener=None, **options: start('tcp4', listener, **options)


# -- a gnet server, openssl s_client ---------------------------------------------------------------

def test_s_client_verifies_a_gnet_server_and_gets_its_data_echoed(serve, pki):
    seen = AsyncResult()

    def on_secure(conn):
        seen.set((conn.servername, conn.alpn_protocol, conn.get_protocol()))
        conn.on('data', lambda data: conn.write(b'echo: ' + data))
    server = serve(on_secure, ALPNProtocols=['h2', 'http/1.1'])
    with Tool('s_client', '-connect', '127.0.0.1:%d' % server.address()['port'],
              '-CAfile', pki.root.cert_path, '-servername', 'a.test', '-verify_hostname', 'a.test',
              '-verify_return_error', '-alpn', 'http/1.1', '-ign_eof') as tool:
        tool.wait_line(r'^\s*Verify return code: 0 \(ok\)$')
        tool.wait_line(r'^ALPN protocol: http/1\.1$')
        tool.wait_line(r'^depth=1 .*CN = gnet Test Intermediate CA$')  # the chain gnet sent
        tool.send(b'hello from s_client\n')
        tool.wait_line(r'^echo: hello from s_client$')
    assert seen.get(timeout=WAIT) == ('a.test', 'http/1.1', 'TLSv1.3')


def test_s_client_over_tls_1_2(serve, pki):
    server = serve(lambda conn: conn.pipe(conn))
    with Tool('s_client', '-connect', '127.0.0.1:%d' % server.address()['port'], '-tls1_2',
              '-CAfile', pki.root.cert_path, '-servername', 'localhost', '-verify_return_error',
              '-ign_eof') as tool:
        tool.wait_line(r'^\s*Verify return code: 0 \(ok\)$')
        tool.wait_line(r'^\s*Protocol\s*: TLSv1\.2$')
        tool.send(b'twelve\n')
        tool.wait_line(r'^twelve$')


def test_s_client_with_no_alpn_protocol_in_common_is_refused(serve, pki):
    failures = AsyncResult()
    server = serve(ALPNProtocols=['h2'])
    server.on('tlsClientError', lambda err, sock: failures.set(err.code))
    with Tool('s_client', '-connect', '127.0.0.1:%d' % server.address()['port'],
              '-CAfile', pki.root.cert_path, '-servername', 'localhost', '-alpn', 'spdy/1') as tool:
        tool.wait_line(r'alert no application protocol')
    assert failures.get(timeout=WAIT) == 'ERR_SSL_NO_APPLICATION_PROTOCOL'


# -- a gnet client, openssl s_server -----------------------------------------------------------------

def s_server(pki, *extra):
    return Tool('s_server', '-accept', '127.0.0.1:0', '-naccept', '1', '-rev',
                '-key', pki.leaf.key_path, '-cert', pki.leaf.cert_path, *extra)


def read_line(sock):
    """The socket's data up to a newline (several 'data' events, if so it comes)."""
    got = b''
    while not got.endswith(b'\n'):
        got += gnet.once(sock, 'data', timeout=WAIT)[0]
    return got


def test_a_gnet_client_against_s_server(pki):
    with s_server(pki, '-alpn', 'h2') as tool:
        port = int(tool.wait_line(r'^ACCEPT 127\.0\.0\.1:(\d+)$').group(1))
        client = tls.connect(port=port, host='127.0.0.1', ca=pki.root.cert, servername='localhost',
                             ALPNProtocols=['h2'])
        gnet.once(client, 'secureConnect', timeout=WAIT)
        assert (client.authorized, client.alpn_protocol, client.get_protocol()) == (True, 'h2', 'TLSv1.3')
        assert client.get_peer_certificate()['fingerprint256'] == fingerprint256(pki.leaf.der)
        client.write(b'hello s_server\n')
        assert read_line(client) == b'revres_s olleh\n'
        tool.wait_line(r'^CONNECTION ESTABLISHED$')
        client.end()
        gnet.once(client, 'close', timeout=WAIT)
        tool.wait_line(r'^CONNECTION CLOSED$')  # our close_notify, then the FIN


def test_a_gnet_client_certificate_for_s_server_verify(pki):
    with s_server(pki, '-Verify', '1', '-CAfile', pki.root.cert_path) as tool:
        port = int(tool.wait_line(r'^ACCEPT 127\.0\.0\.1:(\d+)$').group(1))
        client = tls.connect(port=port, host='127.0.0.1', ca=pki.root.cert, servername='localhost',
                             key=pki.client.key, cert=pki.client.cert)
        gnet.once(client, 'secureConnect', timeout=WAIT)
        client.write(b'mutual\n')
        assert read_line(client) == b'lautum\n'
        tool.wait_line(r'^Peer certificate: .*CN = gnet client$')
        tool.wait_line(r'^Verification: OK$')
        client.destroy()


def test_s_server_verify_refuses_a_gnet_client_without_a_certificate(pki):
    with s_server(pki, '-Verify', '1', '-CAfile', pki.root.cert_path) as tool:
        port = int(tool.wait_line(r'^ACCEPT 127\.0\.0\.1:(\d+)$').group(1))
        client = tls.connect(port=port, host='127.0.0.1', ca=pki.root.cert, servername='localhost')
        failed = AsyncResult()
        client.on('error', lambda err: failed.set(err.code))
        client.resume()
        assert failed.get(timeout=WAIT) == 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'
        tool.wait_line(r'peer did not return a certificate')


def fingerprint256(der):
    return ':'.join('%02X' % b for b in hashlib.sha256(der).digest())


# -- a gnet server, a blocking stdlib ssl client in a thread -------------------------------------------

def test_a_stdlib_ssl_client_in_a_thread(serve, pki):
    """1 MiB up, its sha256 back, then the server's close_notify is the client's clean EOF."""
    def on_secure(conn):
        digest, state = hashlib.sha256(), {'left': None, 'head': b''}

        def on_data(data):
            if state['left'] is None:
                head, _, data = (state['head'] + data).partition(b'\n')
                if not _:
                    state['head'] = head
                    return
                state['left'] = int(head)
            digest.update(data)
            state['left'] -= len(data)
            if state['left'] == 0:
                conn.end(digest.hexdigest().encode() + b'\n')
        conn.on('data', on_data)
    server = serve(on_secure, ALPNProtocols=['http/1.1'])
    port = server.address()['port']
    payload = bytes(range(256)) * 4096

    # a separate interpreter: the standard library's ssl as it is, never gevent's
    # (under monkey patching a blocking client in a thread would run gevent's ssl)
    script = textwrap.dedent('''
        import json, socket, ssl, sys
        port, cafile = int(sys.argv[1]), sys.argv[2]
        payload = bytes(range(256)) * 4096
        context = ssl.create_default_context(cafile=cafile)
        context.set_alpn_protocols(['http/1.1'])
        with socket.create_connection(('127.0.0.1', port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname='a.test') as conn:
                conn.sendall(b'%d\\n' % len(payload) + payload)
                chunks = []
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:  # the server's close_notify
                        break
                    chunks.append(chunk)
                print(json.dumps([b''.join(chunks).decode(), conn.version(), conn.selected_alpn_protocol()]))
    ''')
    proc = subprocess.Popen([sys.executable, '-c', script, str(port), pki.root.cert_path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=WAIT * 2)  # gevent's subprocess: the server serves on
    assert proc.returncode == 0, err.decode()
    text, version, alpn = json.loads(out)
    answer = text.encode()
    assert answer == hashlib.sha256(payload).hexdigest().encode() + b'\n'
    assert (version, alpn) == ('TLSv1.3', 'http/1.1')
