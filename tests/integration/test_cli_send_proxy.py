"""``gnet proxy --send-proxy``: the target learns the real client (PROXY protocol).

A gnet server with ``proxy_protocol=True`` stands behind ``gnet proxy``; a
client connecting from a chosen loopback source address must be reported as
that address, and its bytes must arrive intact after the header.
"""

import socket

import pytest
from gevent.event import AsyncResult
from proc_helpers import WAIT, Proc, gnet_cmd

import gnet


@pytest.mark.no_leak_check  # the proxy runs in a subprocess; the backend is closed below
@pytest.mark.timeout(60)
@pytest.mark.parametrize('version', ['v1', 'v2'])
def test_send_proxy_reports_the_real_client(version):
    seen = AsyncResult()

    def on_connection(conn):
        chunks = []
        conn.on('data', chunks.append)
        conn.on('end', lambda: (seen.set((conn.remote_address, conn.remote_port,
                                          b''.join(chunks))), conn.end()))
    backend = gnet.create_server({'proxy_protocol': True}, on_connection)
    backend.listen(0, '127.0.0.1')
    gnet.once(backend, 'listening', timeout=WAIT)
    try:
        target = '127.0.0.1:%d' % backend.address()['port']
        with Proc(gnet_cmd('proxy', '127.0.0.1:0', target, '--send-proxy', version)) as proc:
            port = proc.tcp_port()
            client = socket.socket()
            try:
                client.bind(('127.0.0.7', 0))
                client.connect(('127.0.0.1', port))
                source_port = client.getsockname()[1]
                client.sendall(b'payload after the header')
                client.shutdown(socket.SHUT_WR)
                address, reported_port, data = seen.get(timeout=WAIT)
            finally:
                client.close()
        assert address == '127.0.0.7' and reported_port == source_port
        assert data == b'payload after the header'
    finally:
        backend.close()
        for conn in list(backend._connections):
            conn.destroy()
