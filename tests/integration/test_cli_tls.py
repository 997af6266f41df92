"""``gnet proxy`` terminating and originating TLS, and ``gnet connect --tls``, as subprocesses.

The test PKI (gnet.testing.pki, made with ``openssl``) is written to a
temporary directory; the commands read its PEM files.  Clients are
``gnet connect --tls`` (gnet.tls) and Python's ``ssl``; the backends are
the threaded plain :class:`Backend` (which answers our FIN with a trailer,
so half-close is checked through TLS too) and, for a TLS backend, a second
``gnet proxy`` terminating TLS in front of one.  Every wait is for a line,
an exit or an event; everything is on loopback and bounded.
"""

import os
import re
import socket
import ssl
import subprocess

import pytest
from proc_helpers import WAIT, Backend, Proc, digest, env, exchange, gnet_cmd


MiB = 1 << 20


def run_gnet(*args, stdin=b'', timeout=WAIT):
    return subprocess.run(gnet_cmd(*args), input=stdin, capture_output=True, env=env(),
                          timeout=timeout)


def serving(credential):
    """The flags of a proxy terminating TLS with ``credential``."""
    return ['--tls-cert', credential.chain_path, '--tls-key', credential.key_path]


def proxy(target, *flags):
    """``gnet -v proxy 127.0.0.1:0 TARGET FLAGS...`` (a context manager)."""
    return Proc(gnet_cmd('-v', 'proxy', '127.0.0.1:0', target, *flags))


def ssl_client(pki, port, credential=None):
    """A Python ``ssl`` client trusting the test root, handshake done."""
    context = ssl.create_default_context(cafile=pki.root.cert_path)
    if credential is not None:
        context.load_cert_chain(credential.cert_path, credential.key_path)
    raw = socket.create_connection(('127.0.0.1', port), timeout=WAIT)
    return context.wrap_socket(raw, server_hostname='localhost')


def recv_exactly(sock, size):
    chunks, got = [], 0
    while got < size:
        data = sock.recv(size - got)
        if not data:
            break
        chunks.append(data)
        got += len(data)
    return b''.join(chunks)


def one_line(stderr):
    lines = [line for line in stderr.decode().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert 'Traceback' not in lines[0]
    return lines[0]


# -- terminating TLS ---------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_proxy_terminates_tls_for_a_python_ssl_client(pki):
    with Backend(b'plain backend says hi\n') as backend, \
            proxy(backend.target, *serving(pki.leaf)) as proc:
        port = proc.tcp_port()
        with ssl_client(pki, port) as client:
            assert client.version() == 'TLSv1.3'
            assert dict(pair[0] for pair in client.getpeercert()['subject'])['commonName'] \
                == 'localhost'
            client.sendall(b'ping')
            assert recv_exactly(client, 22) == b'plain backend says hi\n'
            assert backend.got_data.wait(WAIT)
        proc.wait_line(r'127\.0\.0\.1:\d+ TLS: TLSv1\.3, ALPN none, no peer certificate$',
                       stream='stderr')


@pytest.mark.timeout(120)
def test_one_mib_each_way_byte_exact_through_the_tls_proxy_with_half_close(pki):
    down, up = os.urandom(MiB), os.urandom(MiB) + b'\x00\r\n'
    with Backend(down) as backend, proxy(backend.target, *serving(pki.leaf)) as proc:
        port = proc.tcp_port()
        result = run_gnet('connect', '--tls', '--ca', pki.root.cert_path, '127.0.0.1:%d' % port,
                          stdin=up, timeout=60)
        assert result.returncode == 0, result.stderr
        # the download, then the backend's answer to the FIN our close_notify became
        trailer = b'got %d %s\n' % (len(up), digest(up).encode())
        assert len(result.stdout) == len(down) + len(trailer)
        assert digest(result.stdout) == digest(down + trailer)
        assert backend.received == [(len(up), digest(up))]
        proc.wait_line(r'-> %s: %d bytes up, %d bytes down, [0-9.]+ s$'
                       % (re.escape(backend.target), len(up), len(down) + len(trailer)),
                       stream='stderr')


@pytest.mark.timeout(60)
def test_a_plain_text_client_does_not_kill_the_tls_proxy(pki):
    with Backend(b'hi\n') as backend, proxy(backend.target, *serving(pki.leaf)) as proc:
        port = proc.tcp_port()
        try:
            exchange(('127.0.0.1', port), b'GET / HTTP/1.0\r\n\r\n')
        except ConnectionResetError:
            pass  # the server may reset a connection it did not read to the end
        proc.wait_line(r'127\.0\.0\.1:\d+ TLS handshake failed: ERR_SSL_HTTP_REQUEST ',
                       stream='stderr')
        assert not backend.accepted.is_set()  # nothing was forwarded
        with ssl_client(pki, port) as client:  # and it serves the next client
            assert recv_exactly(client, 3) == b'hi\n'
        assert proc.popen.poll() is None


@pytest.mark.timeout(60)
def test_mutual_tls_refuses_a_client_without_a_certificate(pki):
    with Backend(b'secret\n') as backend, \
            proxy(backend.target, *serving(pki.leaf), '--tls-ca', pki.root.cert_path) as proc:
        port = proc.tcp_port()
        with ssl_client(pki, port) as client:  # TLS 1.3: the server's refusal comes after
            try:
                got = client.recv(64)
            except (ssl.SSLError, ConnectionResetError):
                got = b''
            assert got == b''
        proc.wait_line(r'TLS handshake failed: ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE ',
                       stream='stderr')
        assert not backend.accepted.is_set()
        result = run_gnet('connect', '--tls', '--ca', pki.root.cert_path, port, stdin=b'x')
        assert result.returncode == 1 and result.stdout == b''
        one_line(result.stderr)


@pytest.mark.timeout(60)
@pytest.mark.parametrize('client', ['python', 'gnet'])
def test_mutual_tls_accepts_a_client_certificate_from_the_ca(pki, client):
    with Backend(b'secret\n') as backend, \
            proxy(backend.target, *serving(pki.leaf), '--tls-ca', pki.root.cert_path) as proc:
        port = proc.tcp_port()
        if client == 'python':
            with ssl_client(pki, port, pki.client) as sock:
                assert recv_exactly(sock, 7) == b'secret\n'
        else:
            result = run_gnet('connect', '--tls', '--ca', pki.root.cert_path,
                              '--cert', pki.client.cert_path, '--key', pki.client.key_path,
                              port, stdin=b'me')
            assert result.returncode == 0, result.stderr
            assert result.stdout == b'secret\ngot 2 %s\n' % digest(b'me').encode()
        proc.wait_line(r'TLS: TLSv1\.3, ALPN none, peer certificate CN=gnet client$',
                       stream='stderr')


# -- originating TLS ---------------------------------------------------------------------------

@pytest.mark.timeout(120)
@pytest.mark.parametrize('name', [None, 'a.test'])
def test_proxy_originates_tls_to_a_gnet_tls_backend(pki, name):
    down, up = os.urandom(MiB), os.urandom(MiB)
    naming = ['--tls-servername', name] if name else []
    with Backend(down) as backend, proxy(backend.target, *serving(pki.leaf)) as tls_backend:
        tls_port = tls_backend.tcp_port()
        with proxy('127.0.0.1:%d' % tls_port, '--tls-upstream', '--tls-upstream-ca',
                   pki.root.cert_path, *naming) as front:
            reply = exchange(('127.0.0.1', front.tcp_port()), up, timeout=60)
            trailer = b'got %d %s\n' % (len(up), digest(up).encode())
            assert len(reply) == len(down) + len(trailer)
            assert digest(reply) == digest(down + trailer)
            assert backend.received == [(len(up), digest(up))]
        # the TLS backend saw a TLS client: the front proxy
        tls_backend.wait_line(r'TLS: TLSv1\.3, ALPN none, no peer certificate$', stream='stderr')


@pytest.mark.timeout(60)
@pytest.mark.parametrize('credential, flags, error', [
    ('self_signed', [], 'DEPTH_ZERO_SELF_SIGNED_CERT self-signed certificate'),
    ('leaf', ['--tls-upstream-ca', 'other_root'],
     'UNABLE_TO_VERIFY_LEAF_SIGNATURE unable to verify the first certificate'),
    ('leaf', ['--tls-upstream-ca', 'root', '--tls-servername', 'b.test'],
     'ERR_TLS_CERT_ALTNAME_INVALID '),
    ('self_signed', ['--tls-insecure'], None),
])
def test_an_upstream_that_does_not_verify_is_cut_with_nodes_code(pki, credential, flags, error):
    flags = [getattr(pki, flag).cert_path if flag in ('root', 'other_root') else flag
             for flag in flags]
    with Backend(b'upstream\n') as backend, \
            proxy(backend.target, *serving(getattr(pki, credential))) as tls_backend:
        target = '127.0.0.1:%d' % tls_backend.tcp_port()
        with proxy(target, '--tls-upstream', *flags) as front:
            try:
                reply = exchange(('127.0.0.1', front.tcp_port()), b'q')
            except ConnectionResetError:  # the proxy may destroy us with our byte unread
                reply = b''
            if error is None:
                assert reply == b'upstream\ngot 1 %s\n' % digest(b'q').encode()
            else:
                assert reply == b''
                front.wait_line(r'-> %s: [01] bytes up, 0 bytes down, [0-9.]+ s, error: %s'
                                % (re.escape(target), re.escape(error)), stream='stderr')


@pytest.mark.timeout(120)
def test_proxy_terminates_and_originates_at_once_with_alpn_on_both_sides(pki):
    # client --TLS, ALPN h2--> front --TLS, ALPN h2,http/1.1--> TLS backend (http/1.1 only)
    up = os.urandom(64 * 1024)
    with Backend(b'both\n') as backend, \
            proxy(backend.target, *serving(pki.leaf), '--alpn', 'http/1.1') as tls_backend:
        target = '127.0.0.1:%d' % tls_backend.tcp_port()
        with proxy(target, *serving(pki.inter_leaf), '--tls-upstream', '--tls-upstream-ca',
                   pki.root.cert_path, '--alpn', 'h2,http/1.1') as front:
            result = run_gnet('-v', 'connect', '--tls', '--ca', pki.root.cert_path,
                              '--alpn', 'h2', front.tcp_port(), stdin=up)
            assert result.returncode == 0, result.stderr
            assert result.stdout == b'both\ngot %d %s\n' % (len(up), digest(up).encode())
            assert b'ALPN h2, peer certificate CN=localhost, certificate verified' \
                in result.stderr
            front.wait_line(r'TLS: TLSv1\.3, ALPN h2, no peer certificate$', stream='stderr')
        tls_backend.wait_line(r'TLS: TLSv1\.3, ALPN http/1\.1, ', stream='stderr')


@pytest.mark.timeout(60)
def test_no_alpn_protocol_in_common_is_refused(pki):
    with Backend(b'') as backend, proxy(backend.target, *serving(pki.leaf), '--alpn', 'h2') \
            as proc:
        result = run_gnet('connect', '--tls', '--ca', pki.root.cert_path, '--alpn', 'smtp',
                          proc.tcp_port())
        assert result.returncode == 1
        one_line(result.stderr)
        proc.wait_line(r'TLS handshake failed: ERR_SSL_NO_APPLICATION_PROTOCOL', stream='stderr')
        assert not backend.accepted.is_set()


# -- gnet connect --tls ------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_connect_tls_talks_to_a_tls_echo_server(pki):
    with Proc(gnet_cmd('echo', '--port', 0, '--host', '127.0.0.1')) as echo:
        target = '127.0.0.1:%d' % echo.tcp_port()
        with proxy(target, *serving(pki.leaf)) as tls_echo:
            result = run_gnet('connect', '--tls', '--ca', pki.root.cert_path,
                              '--servername', 'localhost', tls_echo.tcp_port(),
                              stdin=b'ping\n')
            assert result.returncode == 0, result.stderr
            assert result.stdout == b'hello\r\nping\n'
            assert result.stderr == b''


@pytest.mark.timeout(60)
@pytest.mark.parametrize('credential, flags, line', [
    ('self_signed', [], 'DEPTH_ZERO_SELF_SIGNED_CERT self-signed certificate'),
    ('leaf', [], 'UNABLE_TO_VERIFY_LEAF_SIGNATURE unable to verify the first certificate'),
    ('leaf', ['--ca', 'other_root'],
     'UNABLE_TO_VERIFY_LEAF_SIGNATURE unable to verify the first certificate'),
    ('expired', ['--ca', 'root'], 'CERT_HAS_EXPIRED certificate has expired'),
    ('leaf', ['--ca', 'root', '--servername', 'b.test'], 'ERR_TLS_CERT_ALTNAME_INVALID '),
])
def test_connect_tls_verification_failure_is_exit_1_with_nodes_code(pki, credential, flags,
                                                                    line):
    flags = [getattr(pki, flag).cert_path if flag in ('root', 'other_root') else flag
             for flag in flags]
    with Backend(b'must not be seen\n') as backend, \
            proxy(backend.target, *serving(getattr(pki, credential))) as proc:
        result = run_gnet('connect', '--tls', *flags, proc.tcp_port(), stdin=b'x')
        assert result.returncode == 1
        assert one_line(result.stderr).startswith('gnet connect: ' + line), result.stderr
        assert result.stdout == b''
        assert backend.received == []


@pytest.mark.timeout(60)
def test_connect_tls_insecure_accepts_a_self_signed_server(pki):
    with Backend(b'anyway\n') as backend, proxy(backend.target, *serving(pki.self_signed)) \
            as proc:
        result = run_gnet('connect', '--tls', '--insecure', proc.tcp_port())
        assert result.returncode == 0, result.stderr
        assert result.stdout == b'anyway\ngot 0 %s\n' % digest(b'').encode()


# -- usage -------------------------------------------------------------------------------------

@pytest.mark.timeout(60)
@pytest.mark.parametrize('argv', [
    ['proxy', '8080', '9000', '--tls-cert', '{leaf.crt}'],
    ['proxy', '8080', '9000', '--tls-key', '{leaf.key}'],
    ['proxy', '8080', '9000', '--tls-cert', '{missing}', '--tls-key', '{leaf.key}'],
    ['proxy', '8080', '9000', '--tls-cert', '{dir}', '--tls-key', '{leaf.key}'],
    ['proxy', '8080', '9000', '--tls-cert', '{leaf.ext}', '--tls-key', '{leaf.key}'],
    ['proxy', '8080', '9000', '--tls-cert', '{leaf.crt}', '--tls-key', '{client.key}'],
    ['proxy', '8080', '9000', '--tls-ca', '{root.crt}'],
    ['proxy', '8080', '9000', '--tls-servername', 'a.test'],
    ['proxy', '8080', '9000', '--tls-upstream-ca', '{root.crt}'],
    ['proxy', '8080', '9000', '--tls-insecure'],
    ['proxy', '8080', '9000', '--tls-upstream', '--send-proxy'],
    ['proxy', '8080', '9000', '--alpn', 'h2,,x'],
    ['connect', '9000', '--servername', 'a.test'],
    ['connect', '9000', '--insecure'],
    ['connect', '9000', '--tls', '--cert', '{client.crt}'],
    ['connect', '9000', '--tls', '--ca', '{missing}'],
])
def test_tls_usage_errors_are_one_line_and_exit_2(pki, argv):
    fill = {'missing': os.path.join(pki.directory, 'missing.pem'), 'dir': pki.directory}
    argv = [arg.format(**fill) if arg in ('{missing}', '{dir}') else
            os.path.join(pki.directory, arg[1:-1]) if arg.startswith('{') else arg
            for arg in argv]
    result = run_gnet(*argv)
    assert result.returncode == 2, result
    line = one_line(result.stderr)
    assert line.startswith('gnet %s: ' % argv[0]) and '--help' in line, line


@pytest.mark.timeout(60)
def test_help_lists_the_tls_flags():
    assert all(flag in run_gnet('proxy', '--help').stdout for flag in (
        b'--tls-cert', b'--tls-key', b'--tls-ca', b'--tls-upstream', b'--tls-servername',
        b'--tls-upstream-ca', b'--tls-insecure', b'--alpn'))
    assert all(flag in run_gnet('connect', '--help').stdout for flag in (
        b'--tls', b'--servername', b'--ca', b'--insecure', b'--alpn', b'--cert', b'--key'))
