"""Handle passing: connections and servers sent to another process (SCM_RIGHTS).

The other process is ``scaling/receiver.py``: it echoes every socket it is
given and serves every server it is given.  Clients are gevent sockets so
that this process's gnet server keeps running while they wait.
"""

import os
import subprocess
import sys

import gevent
import pytest
from gevent import socket as gsocket
from gevent.event import AsyncResult
from scaling.harness import HERE, child_env

import gnet
from gnet import errors
from gnet.cluster.channel import Channel, socketpair

WAIT = 10.0
pytestmark = pytest.mark.timeout(60)


class Receiver:
    """The receiver process and our end of its channel."""

    def __init__(self):
        ours, theirs = socketpair()
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, 'receiver.py'),
                                      str(theirs.fileno())], pass_fds=[theirs.fileno()],
                                     env=child_env(), start_new_session=True)
        theirs.close()
        self.channel = Channel(ours)
        self.replies = []
        self._reply = AsyncResult()
        self.channel.on('message', self._on_message)

    def _on_message(self, message, handle):
        self.replies.append(message)
        self._reply.set(message)

    def send(self, message, handle=None):
        self._reply = AsyncResult()
        self.channel.send(message, handle)
        return self._reply.get(timeout=WAIT)

    def close(self):
        self.channel.close()
        gnet.once(self.channel, 'close', timeout=WAIT)
        with gevent.Timeout(WAIT, False):           # the receiver exits when its channel closes
            while self.proc.poll() is None:
                gevent.sleep(0.01)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=WAIT)


@pytest.fixture
def receiver():
    peer = Receiver()
    try:
        yield peer
    finally:
        peer.close()


@pytest.fixture
def server_conns():
    """A loopback server whose accepted sockets land in a queue (paused, never read)."""
    made = []

    def make(**options):
        got = gevent.queue.Queue()
        server = gnet.create_server(options, got.put)
        server.listen(0, '127.0.0.1')
        gnet.once(server, 'listening', timeout=WAIT)
        made.append(server)
        return server, got
    import gevent.queue  # noqa: F401
    yield make
    for server in made:
        if server.listening:
            server.close()
        for conn in list(server._connections):
            conn.destroy()
        if server._connections:
            gnet.once(server, 'close', timeout=WAIT)


def read_exactly(sock, count):
    data = bytearray()
    while len(data) < count:
        chunk = sock.recv(min(65536, count - len(data)))
        assert chunk, 'closed after %d of %d bytes' % (len(data), count)
        data += chunk
    return bytes(data)


def test_a_socket_handed_to_another_process_keeps_every_byte_in_order(receiver, server_conns):
    server, conns = server_conns(pause_on_connect=True)
    port = server.address()['port']
    payload = os.urandom(256 * 1024)
    client = gsocket.create_connection(('127.0.0.1', port))
    try:
        client.sendall(payload[:100000])            # before the hand-off
        conn = conns.get(timeout=WAIT)
        assert conn.bytes_read == 0
        reply = receiver.send({'n': 1}, conn)
        assert reply['got'] == 'socket' and reply['echo'] == {'n': 1}
        assert conn.destroyed                        # our copy is gone; the connection is not
        writer = gevent.spawn(client.sendall, payload[100000:])   # after the hand-off
        echoed = read_exactly(client, len(payload))
        writer.get(timeout=WAIT)
        assert echoed == payload
        client.shutdown(gsocket.SHUT_WR)
        assert client.recv(10) == b''                # the receiver ends when we end
    finally:
        client.close()


def test_bytes_the_sender_buffered_travel_with_the_socket(receiver, server_conns):
    server, conns = server_conns()                   # reading starts at once
    client = gsocket.create_connection(('127.0.0.1', server.address()['port']))
    try:
        client.sendall(b'early bytes|')
        conn = conns.get(timeout=WAIT)
        with gevent.Timeout(WAIT):
            while conn.readable_length < len(b'early bytes|'):
                gevent.sleep(0.01)
        receiver.send('buffered', conn)
        client.sendall(b'late bytes')
        assert read_exactly(client, 22) == b'early bytes|late bytes'
    finally:
        client.close()


def test_handed_off_connections_are_counted_by_the_server(receiver, server_conns):
    server, conns = server_conns(pause_on_connect=True)
    clients = [gsocket.create_connection(('127.0.0.1', server.address()['port'])) for _ in range(3)]
    try:
        for _ in clients:
            receiver.send('count', conns.get(timeout=WAIT))
        assert server._handed_off == 3
        if hasattr(gnet.Server(), '_handed_off'):   # the Server hook (docs/scaling.md)
            counted = AsyncResult()
            server.get_connections(lambda err, n: counted.set(n))
            assert counted.get(timeout=WAIT) == 3
        clients.pop().close()
        with gevent.Timeout(WAIT):
            while server._handed_off != 2:
                gevent.sleep(0.01)
    finally:
        for client in clients:
            client.close()


def test_a_listening_server_handed_over_is_served_by_the_other_process(receiver):
    server = gnet.create_server()
    server.listen(0, '127.0.0.1')
    gnet.once(server, 'listening', timeout=WAIT)
    port = server.address()['port']
    try:
        reply = receiver.send('serve this', server)
        assert reply['got'] == 'server'
    finally:
        server.close()                               # we stop; the other process goes on
    client = gsocket.create_connection(('127.0.0.1', port))
    try:
        hello = b'child %d\n' % reply['pid']
        assert read_exactly(client, len(hello)) == hello
        client.sendall(b'ping')
        assert read_exactly(client, 4) == b'ping'
    finally:
        client.close()


def test_a_socket_with_unsent_writes_is_refused(receiver, server_conns):
    server, conns = server_conns(pause_on_connect=True)
    client = gsocket.create_connection(('127.0.0.1', server.address()['port']))
    try:
        conn = conns.get(timeout=WAIT)
        conn.on('error', lambda err: None)
        while conn.write(b'x' * 65536):             # the client never reads: the queue fills
            pass
        with pytest.raises(errors.NodeError) as info:
            receiver.channel.send('busy', conn)
        assert info.value.code == 'ERR_SOCKET_HANDLE_BUSY'
        assert not conn.destroyed
        conn.destroy()
    finally:
        client.close()


def test_messages_and_plain_sockets_cross_a_channel_in_order():
    a, b = socketpair()
    left, right = Channel(a), Channel(b)
    got = []
    done = AsyncResult()

    def on_message(message, handle):
        got.append((message, handle))
        if len(got) == 3:
            done.set()
    right.on('message', on_message)
    probe_a, probe_b = socketpair()
    try:
        left.send({'k': [1, 'two']})
        left.send('with a socket', probe_a)
        left.send(None)
        done.get(timeout=WAIT)
        assert [m for m, _ in got] == [{'k': [1, 'two']}, 'with a socket', None]
        passed = got[1][1]
        try:
            passed.sendall(b'through a copy')
            assert probe_b.recv(100) == b'through a copy'
        finally:
            passed.close()
    finally:
        probe_a.close()
        probe_b.close()
        left.close()
        right.close()
        gnet.once(right, 'close', timeout=WAIT)


def run():
    """``gnet.run()``, bounded: a channel that held it for ever fails the test."""
    with gevent.Timeout(WAIT, AssertionError('gnet.run() did not return')):
        gnet.run()


def test_an_unrefd_channel_holds_run_while_it_writes_or_is_counted():
    # Node's IPC channel: held by a write in progress and by its count of users
    # (a worker's 'message' listeners), until ref()/unref() decide alone
    a, b = socketpair()
    left, right = Channel(a, ref=False), Channel(b, ref=False)
    seen = []

    def later(what, then):
        def fire():
            seen.append(what)
            then()
        gnet.set_timeout(fire, 20).unref()  # never what keeps run() going
    try:
        left.send('x' * (10 * 1000 * 1000), callback=lambda err: seen.append(('written', err)))
        run()  # 10 MB do not fit the socket buffers: the write holds run()
        assert seen == [('written', None)]
        left.ref_counted()
        later('released', left.unref_counted)
        run()
        assert seen[-1] == 'released'
        left.ref_counted()
        left.unref()  # explicit: the count no longer holds it
        run()
        left.ref()    # explicit: held with no count at all
        left.unref_counted()
        later('unref', left.unref)
        run()
        assert seen[-1] == 'unref'
    finally:
        left.close()
        right.close()
        gnet.once(right, 'close', timeout=WAIT)
