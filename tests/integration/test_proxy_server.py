"""Servers with the PROXY protocol: the header is read first, then the client is reported.

Clients are raw gevent sockets that write a header the way a load balancer
would, byte-exact data after it, or something wrong.
"""

import logging

import gevent
import pytest
from gevent import socket as gsocket
from gevent.queue import Queue

import gnet
from gnet.proxy import gate
from gnet.proxy import protocol as pp

WAIT = 5.0
pytestmark = pytest.mark.timeout(30)


def make_server(**options):
    options.setdefault('proxy_protocol', True)
    return gnet.create_server(options)


@pytest.fixture
def proxied():
    made = []

    def start(**options):
        server = make_server(**options)
        conns = Queue()
        server.on('connection', conns.put)
        server.listen(0, '127.0.0.1')
        gnet.once(server, 'listening', timeout=WAIT)
        made.append(server)
        return server, conns
    yield start
    for server in made:
        server.close()
        for conn in list(server._connections):
            conn.destroy()
        if server._connections:
            gnet.once(server, 'close', timeout=WAIT)


def connect(server):
    return gsocket.create_connection(('127.0.0.1', server.address()['port']))


def collect_until(conn, count):
    got = bytearray()
    done = gevent.event.Event()

    def on_data(data):
        got.extend(data)
        if len(got) >= count:
            done.set()
    conn.on('data', on_data)
    assert done.wait(WAIT), 'got %d of %d bytes' % (len(got), count)
    return bytes(got)


import gevent.event  # noqa: E402


def test_v1_header_in_pieces_then_byte_exact_data(proxied):
    server, conns = proxied()
    header = pp.encode_v1('203.0.113.9', 40001, '127.0.0.1', server.address()['port'])
    client = connect(server)
    try:
        client.sendall(header[:3])
        gevent.sleep(0.02)
        client.sendall(header[3:30])
        gevent.sleep(0.02)
        client.sendall(header[30:] + b'first')
        conn = conns.get(timeout=WAIT)
        assert (conn.remote_address, conn.remote_port, conn.remote_family) == \
            ('203.0.113.9', 40001, 'IPv4')
        assert gate.header_of(conn).version == 1
        client.sendall(b' second')
        assert collect_until(conn, 12) == b'first second'
        assert conn.bytes_read == 12          # the header is not data
    finally:
        client.close()


def test_v2_ipv6_client_and_tlvs(proxied):
    server, conns = proxied()
    client = connect(server)
    try:
        client.sendall(pp.encode_v2('2001:db8::42', 5555, '::1', 443, tlvs=[(pp.PP2_TYPE_AUTHORITY,
                                                                            b'example.org')])
                       + b'\x00\xffbinary')
        conn = conns.get(timeout=WAIT)
        assert (conn.remote_address, conn.remote_port, conn.remote_family) == \
            ('2001:db8::42', 5555, 'IPv6')
        assert gate.header_of(conn).tlv(pp.PP2_TYPE_AUTHORITY) == b'example.org'
        assert collect_until(conn, 8) == b'\x00\xffbinary'
    finally:
        client.close()


@pytest.mark.parametrize('header', [pp.encode_v2(command='LOCAL'), pp.encode_v1()],
                         ids=['v2-LOCAL', 'v1-UNKNOWN'])
def test_headers_without_a_client_keep_the_real_peer(proxied, header):
    server, conns = proxied()
    client = connect(server)
    try:
        client.sendall(header)
        conn = conns.get(timeout=WAIT)
        assert conn.remote_address == '127.0.0.1'
        assert conn.remote_port == client.getsockname()[1]
    finally:
        client.close()


@pytest.mark.parametrize('data, reason', [
    (b'GET / HTTP/1.0\r\n\r\n', 'no PROXY protocol signature'),
    (b'PROXY TCP4 1.2.3.4 5.6.7.8 1 99999\r\nhello', 'bad port'),
    (pp.V2_SIGNATURE + b'\x31\x11\x00\x0c' + b'\0' * 12, 'unsupported v2 version'),
])
def test_a_malformed_header_closes_the_connection_with_a_logged_reason(proxied, caplog, data, reason):
    server, conns = proxied()
    caplog.set_level(logging.WARNING, logger='gnet.proxy_protocol')
    client = connect(server)
    try:
        client.sendall(data)
        with gevent.Timeout(WAIT):
            try:
                assert client.recv(100) == b''
            except ConnectionResetError:
                pass
    finally:
        client.close()
    assert conns.empty(), "no 'connection' for a refused client"
    assert any(reason in r.getMessage() and r.name == 'gnet.proxy_protocol' for r in caplog.records)


def test_a_missing_header_times_out(proxied, caplog):
    server, conns = proxied(proxy_protocol_timeout=200)
    caplog.set_level(logging.WARNING, logger='gnet.proxy_protocol')
    client = connect(server)
    try:
        client.sendall(b'PROXY TCP4 ')                   # and then nothing
        started = gevent.get_hub().loop.now()
        with gevent.Timeout(WAIT):
            assert client.recv(100) == b''
        assert gevent.get_hub().loop.now() - started >= 0.15
    finally:
        client.close()
    assert conns.empty()
    assert any('within 200 ms' in r.getMessage() for r in caplog.records)


def test_a_client_leaving_mid_header_is_dropped(proxied, caplog):
    server, conns = proxied()
    caplog.set_level(logging.WARNING, logger='gnet.proxy_protocol')
    client = connect(server)
    client.sendall(pp.encode_v2('192.0.2.1', 1, '192.0.2.2', 2)[:20])
    client.close()
    with gevent.Timeout(WAIT):
        while not any('closed before a complete PROXY header' in r.getMessage()
                      for r in caplog.records):
            gevent.sleep(0.01)
        while server._connections:
            gevent.sleep(0.01)
    assert conns.empty()


def test_pause_on_connect_still_holds_the_data(proxied):
    server, conns = proxied(pause_on_connect=True)
    client = connect(server)
    try:
        client.sendall(pp.encode_v1('192.0.2.77', 9, '127.0.0.1', 1) + b'held')
        conn = conns.get(timeout=WAIT)
        assert conn.remote_address == '192.0.2.77'
        gevent.sleep(0.05)
        assert conn.bytes_read == 0
        conn.resume()
        assert collect_until(conn, 4) == b'held'
    finally:
        client.close()


def test_the_proxy_options_are_checked():
    with pytest.raises(gnet.errors.ERR_INVALID_ARG_TYPE):
        make_server(proxy_protocol='yes')
    with pytest.raises(gnet.errors.NodeError):
        make_server(proxy_protocol_timeout='soon')


def blocking(*rules):
    """A BlockList of single addresses: ``(address, 'ipv4'|'ipv6')`` pairs."""
    block_list = gnet.BlockList()
    for address, family in rules:
        block_list.add_address(address, family)
    return block_list


def closed_by_server(client):
    """True once the server closed ``client`` (EOF or reset), within WAIT."""
    with gevent.Timeout(WAIT):
        try:
            return client.recv(100) == b''
        except ConnectionResetError:
            return True


BLOCKED_CLIENTS = [
    pytest.param(pp.encode_v1('203.0.113.9', 40001, '127.0.0.1', 80), '203.0.113.9:40001', id='v1-tcp4'),
    pytest.param(pp.encode_v1('2001:db8::bad', 40002, '::1', 80), '2001:db8::bad:40002', id='v1-tcp6'),
    pytest.param(pp.encode_v2('203.0.113.9', 40003, '127.0.0.1', 80), '203.0.113.9:40003', id='v2-ipv4'),
    pytest.param(pp.encode_v2('2001:db8::bad', 40004, '::1', 80), '2001:db8::bad:40004', id='v2-ipv6'),
]


@pytest.mark.parametrize('header, client', BLOCKED_CLIENTS)
def test_a_blocked_proxy_client_is_closed_without_connection(proxied, caplog, header, client):
    # the proxy itself (127.0.0.1) is allowed: only the header's source is blocked
    server, conns = proxied(block_list=blocking(('203.0.113.9', 'ipv4'), ('2001:db8::bad', 'ipv6')))
    caplog.set_level(logging.WARNING, logger='gnet.proxy_protocol')
    client_sock = connect(server)
    try:
        client_sock.sendall(header + b'never read')
        assert closed_by_server(client_sock)
    finally:
        client_sock.close()
    assert conns.empty(), "no 'connection' for a blocked client"
    reasons = [r.getMessage() for r in caplog.records if r.name == 'gnet.proxy_protocol']
    assert any('PROXY client %s is blocked by block_list' % client in m for m in reasons), reasons


ALLOWED_CLIENTS = [
    pytest.param(pp.encode_v1('203.0.113.10', 40011, '127.0.0.1', 80),
                 ('203.0.113.10', 40011, 'IPv4'), id='v1-tcp4'),
    pytest.param(pp.encode_v1('2001:db8::600d', 40012, '::1', 80),
                 ('2001:db8::600d', 40012, 'IPv6'), id='v1-tcp6'),
    pytest.param(pp.encode_v2('203.0.113.10', 40013, '127.0.0.1', 80),
                 ('203.0.113.10', 40013, 'IPv4'), id='v2-ipv4'),
    pytest.param(pp.encode_v2('2001:db8::600d', 40014, '::1', 80),
                 ('2001:db8::600d', 40014, 'IPv6'), id='v2-ipv6'),
]


@pytest.mark.parametrize('header, remote', ALLOWED_CLIENTS)
def test_an_allowed_proxy_client_gets_connection_with_its_address(proxied, header, remote):
    server, conns = proxied(block_list=blocking(('203.0.113.9', 'ipv4'), ('2001:db8::bad', 'ipv6')))
    client = connect(server)
    try:
        client.sendall(header + b'data')
        conn = conns.get(timeout=WAIT)
        assert (conn.remote_address, conn.remote_port, conn.remote_family) == remote
        assert collect_until(conn, 4) == b'data'
    finally:
        client.close()


@pytest.mark.parametrize('header', [pp.encode_v2(command='LOCAL'), pp.encode_v1()],
                         ids=['v2-LOCAL', 'v1-UNKNOWN'])
def test_headers_without_a_client_are_not_checked_against_the_block_list(proxied, header):
    server, conns = proxied(block_list=blocking(('203.0.113.9', 'ipv4'), ('::', 'ipv6')))
    client = connect(server)
    try:
        client.sendall(header)
        conn = conns.get(timeout=WAIT)
        assert (conn.remote_address, conn.remote_port) == ('127.0.0.1', client.getsockname()[1])
    finally:
        client.close()


def test_a_blocked_proxy_is_still_closed_at_accept_whatever_its_header_says(proxied):
    server, conns = proxied(block_list=blocking(('127.0.0.1', 'ipv4')))
    client = connect(server)
    try:
        client.sendall(pp.encode_v2('203.0.113.10', 1, '127.0.0.1', 80))
        assert closed_by_server(client)
    finally:
        client.close()
    assert conns.empty()
