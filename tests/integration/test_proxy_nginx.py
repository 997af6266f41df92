"""A real nginx (``stream`` module, ``proxy_protocol on``) in front of two gnet servers.

nginx listens on loopback and balances over two backend processes
(``scaling/proxy_backend.py``, gnet servers with the PROXY protocol on).
Each backend answers with the client address the PROXY header gave it, then
echoes.  The test checks that address against the client's real one and
the echo byte for byte.  Skipped, with the reason, only when no nginx with
the stream module can be found or started (``.ci/run`` installs Debian's
``nginx`` and ``libnginx-mod-stream``).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from scaling.harness import Process, read_line

pytestmark = pytest.mark.timeout(60)

MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so'
WAIT = 10.0


def nginx_binary():
    found = shutil.which('nginx') or ('/usr/sbin/nginx' if os.path.exists('/usr/sbin/nginx') else None)
    if found is None:
        pytest.skip('nginx is not installed (apt-get install nginx libnginx-mod-stream)')
    built = subprocess.run([found, '-V'], capture_output=True, text=True, timeout=WAIT).stderr
    if '--with-stream=dynamic' in built:
        if not os.path.exists(MODULE):
            pytest.skip('nginx has no stream module (apt-get install libnginx-mod-stream)')
        return found, 'load_module %s;' % MODULE
    if '--with-stream' not in built:
        pytest.skip('this nginx is built without the stream module')
    return found, ''


def free_port(host='127.0.0.1'):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


CONF = """
{load}
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 64; }}
stream {{
    upstream gnet_backends {{
        server 127.0.0.1:{b1};
        server 127.0.0.1:{b2};
    }}
    server {{
        listen 127.0.0.1:{port};
        proxy_pass gnet_backends;
        proxy_protocol on;
        proxy_connect_timeout 5s;
    }}
}}
"""


@pytest.fixture
def nginx_in_front():
    binary, load = nginx_binary()
    backends = [Process('proxy_backend.py'), Process('proxy_backend.py')]
    workdir = tempfile.mkdtemp(prefix='gnet-nginx-')
    proc = None
    try:
        ports = [b.next_event()['port'] for b in backends]
        port = free_port()
        conf = os.path.join(workdir, 'nginx.conf')
        with open(conf, 'w') as f:
            f.write(CONF.format(load=load, dir=workdir, b1=ports[0], b2=ports[1], port=port))
        proc = subprocess.Popen([binary, '-c', conf, '-p', workdir, '-e', os.path.join(workdir, 'error.log')],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + WAIT
        while True:
            if proc.poll() is not None:
                pytest.skip('nginx did not start: %s' % proc.stderr.read().decode(errors='replace')[-500:])
            try:
                socket.create_connection(('127.0.0.1', port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.skip('nginx did not listen on 127.0.0.1:%d within %.0f s' % (port, WAIT))
                time.sleep(0.05)
        yield port, [b.proc.pid for b in backends]
    finally:
        if proc is not None:
            try:
                os.killpg(proc.pid, 9)
            except ProcessLookupError:
                pass
            proc.wait(timeout=WAIT)
            proc.stderr.close()
        for backend in backends:
            backend.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def exchange(port, source, payload):
    """Connect from ``source``, send ``payload``; (the backend's report, the echo)."""
    with socket.socket() as sock:
        sock.settimeout(WAIT)
        sock.bind((source, 0))
        sock.connect(('127.0.0.1', port))
        report = read_line(sock).decode().split(' ')
        sock.sendall(payload)
        echoed = bytearray()
        while len(echoed) < len(payload):
            chunk = sock.recv(65536)
            if not chunk:
                break
            echoed += chunk
        return report, sock.getsockname(), bytes(echoed)


def test_nginx_proxy_protocol_reports_the_real_client_to_gnet(nginx_in_front):
    port, backend_pids = nginx_in_front
    seen_pids = set()
    for i, source in enumerate(['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.1']):
        payload = os.urandom(1000 + i * 70000)
        (pid, address, remote_port, family), (src, src_port), echoed = exchange(port, source, payload)
        assert (address, int(remote_port), family) == (source, src_port, 'IPv4')
        assert echoed == payload
        seen_pids.add(int(pid))
    assert seen_pids == set(backend_pids), 'nginx balanced over both gnet servers'
