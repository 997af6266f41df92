"""``net.Socket({'fd': n})``: the descriptors Node streams, and the ones it refuses.

Node's ``createHandle`` (lib/net.js) asks libuv what the descriptor is
(``uv_guess_handle``): a stream socket becomes a TCP or Pipe handle, a pipe or
FIFO a Pipe handle (``process.stdin`` on a pipe is ``new net.Socket({fd: 0})``),
anything else throws ``ERR_INVALID_FD_TYPE`` naming what it is (``FILE``,
``TTY``, ``UDP``, ``UNKNOWN``).  Checked with node v20: ``Unsupported fd type:
FILE`` for a regular file and for ``/dev/null``, ``UNKNOWN`` for a directory
and for a closed descriptor, ``ERR_OUT_OF_RANGE`` for -1 and 1.5 (named
``"fd"``).  The parity scenario ``socket_fd_fifo`` runs the same in both.
"""

import hashlib
import os
import pty
import socket
import subprocess
import sys

import pytest

import gnet
from gnet import errors, interfaces
from gnet.net.handles import FifoHandle, guess_handle_type
from gnet.net.handles.descriptors import close_fd
from net_helpers import WAIT, collect, errors_until_close, require, wait_close

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def closes(*socks):
    """Call first: a function that waits for every socket's 'close' and returns the had_error flags."""
    from gevent.event import AsyncResult
    results = []
    for sock in socks:
        result = AsyncResult()
        sock.on('close', result.set)
        results.append(result)
    return lambda: [result.get(timeout=WAIT) for result in results]


@pytest.fixture
def pipe_fds():
    """An ``os.pipe()`` pair; whatever the test did not hand over is closed after it."""
    fds = os.pipe()
    yield fds
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass  # owned, and closed, by a gnet socket


def test_the_read_end_of_a_pipe_streams_data_then_end(pipe_fds):
    r, w = pipe_fds
    sock = gnet.Socket({'fd': r})
    assert (sock.readable, sock.writable, sock.pending, sock.ready_state) == (True, True, False, 'open')
    assert sock.address() == {} and sock.remote_address is None
    chunks, ended = collect(sock)
    closed = closes(sock)
    os.write(w, b'from ')
    os.write(w, b'a pipe')
    os.close(w)                        # EOF
    assert ended.wait(WAIT)
    assert b''.join(chunks) == b'from a pipe' and sock.bytes_read == 11
    assert closed() == [False]         # 'end', then end() finishes: no half-close on a pipe
    with pytest.raises(OSError):
        os.fstat(r)                    # the socket owned the descriptor and closed it


def test_the_write_end_of_a_pipe_takes_writes_and_end_closes_it(pipe_fds):
    r, w = pipe_fds
    sock = gnet.Socket({'fd': w, 'readable': False})
    assert (sock.readable, sock.writable, sock.ready_state) == (False, True, 'writeOnly')
    done = []
    closed = closes(sock)
    sock.write(b'hello ', done.append)
    sock.end('world', done.append)
    assert closed() == [False]
    assert done == [None, None] and sock.bytes_written == 11
    data = b''
    while True:                        # everything fits the pipe: these reads do not block
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    assert data == b'hello world'


def test_a_pipe_between_two_sockets_keeps_backpressure_and_order(pipe_fds):
    r, w = pipe_fds
    reader = gnet.Socket({'fd': r})
    writer = gnet.Socket({'fd': w, 'readable': False})
    payload = os.urandom(1 << 20)      # far more than the pipe holds: writes would block
    digest = hashlib.sha256()
    reader.on('data', digest.update)
    closed = closes(writer, reader)
    assert writer.write(payload) is False
    gnet.once(writer, 'drain', timeout=WAIT)
    writer.end()
    assert closed() == [False, False]
    assert digest.digest() == hashlib.sha256(payload).digest()
    assert reader.bytes_read == writer.bytes_written == len(payload)


def test_reading_a_write_only_end_is_enotconn_as_libuv(pipe_fds):
    """Node: ``uv_read_start`` refuses a write-only descriptor (ENOTCONN, syscall 'read')."""
    r, w = pipe_fds
    sock = gnet.Socket({'fd': w})      # readable by default
    (err,) = errors_until_close(sock)
    assert (err.code, err.syscall) == ('ENOTCONN', 'read')


def test_writing_a_read_only_end_is_epipe_as_libuv(pipe_fds):
    r, w = pipe_fds
    sock = gnet.Socket({'fd': r})
    results = []
    sock.write(b'x', results.append)
    (err,) = errors_until_close(sock)
    assert (err.code, err.syscall) == ('EPIPE', 'write') and results == [err]


def test_writing_after_the_reader_is_gone_is_epipe(pipe_fds):
    r, w = pipe_fds
    close_fd(r)                        # now: patched os.close would close it only on the next loop turn
    sock = gnet.Socket({'fd': w, 'readable': False})
    sock.write(b'nobody reads this')
    (err,) = errors_until_close(sock)
    assert (err.code, err.syscall) == ('EPIPE', 'write')


def test_a_named_fifo(tmp_path):
    where = str(tmp_path / 'fifo')
    os.mkfifo(where)
    reader = gnet.Socket({'fd': os.open(where, os.O_RDONLY | os.O_NONBLOCK)})
    writer = gnet.Socket({'fd': os.open(where, os.O_WRONLY), 'readable': False})
    chunks, ended = collect(reader)
    closed = closes(writer, reader)
    writer.end(b'through a FIFO')
    assert ended.wait(WAIT) and b''.join(chunks) == b'through a FIFO'
    assert closed() == [False, False]


def test_stdin_on_a_pipe_is_a_socket_as_process_stdin():
    script = ('import gnet; s = gnet.Socket({"fd": 0, "writable": False}); got = []\n'
              's.on("data", got.append)\n'
              's.on("end", lambda: print("end", b"".join(got).decode(), flush=True))\n'
              'gnet.run()\n')
    proc = subprocess.run([sys.executable, '-c', script], input=b'piped in', capture_output=True,
                          timeout=20, env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b'end piped in\n'


@pytest.mark.parametrize('transport', ['tcp4', 'tcp6', 'ipc'])
def test_a_connected_socket_descriptor(transport):
    """TCP and IPC: Node's TCP and Pipe handles."""
    require(transport)
    mine, peer = _connected_pair(transport)
    sock = gnet.Socket({'fd': mine.detach()})
    handle = sock._handle
    assert interfaces.ITCPHandle.providedBy(handle) == (transport != 'ipc')
    assert interfaces.IPipeHandle.providedBy(handle) == (transport == 'ipc')
    if transport != 'ipc':
        assert sock.remote_port == peer.getsockname()[1]
    chunks, ended = collect(sock)
    peer.sendall(b'via fd')
    peer.shutdown(socket.SHUT_WR)
    assert ended.wait(WAIT) and b''.join(chunks) == b'via fd'
    wait_close(sock)
    peer.close()


def _connected_pair(transport):
    if transport == 'ipc':
        return socket.socketpair()
    family, host = (socket.AF_INET, '127.0.0.1') if transport == 'tcp4' else (socket.AF_INET6, '::1')
    with socket.socket(family) as listener:
        listener.bind((host, 0))
        listener.listen(1)
        mine = socket.create_connection(listener.getsockname()[:2])
        peer, _ = listener.accept()
    return mine, peer


# -- descriptors Node refuses -------------------------------------------------------------------
def _refused(fd, kind):
    with pytest.raises(errors.ERR_INVALID_FD_TYPE) as caught:
        gnet.Socket({'fd': fd})
    err = caught.value
    assert (err.code, err.name, str(err)) == ('ERR_INVALID_FD_TYPE', 'TypeError',
                                               'Unsupported fd type: ' + kind)
    assert isinstance(err, TypeError)


def test_a_regular_file_and_a_device_are_file(tmp_path):
    for fd in (os.open(__file__, os.O_RDONLY), os.open(os.devnull, os.O_RDWR)):
        try:
            _refused(fd, 'FILE')
            os.fstat(fd)               # left open, as Node leaves it
        finally:
            os.close(fd)


def test_a_directory_and_a_closed_descriptor_are_unknown(tmp_path):
    fd = os.open(str(tmp_path), os.O_RDONLY)
    try:
        _refused(fd, 'UNKNOWN')
    finally:
        os.close(fd)
    _refused(fd, 'UNKNOWN')            # closed now (Node: UNKNOWN, not EBADF)


def test_a_terminal_is_tty():
    master, slave = pty.openpty()
    try:
        _refused(slave, 'TTY')
    finally:
        os.close(master)
        os.close(slave)


def test_datagram_sockets_are_udp_or_unknown():
    for family, kind in ((socket.AF_INET, 'UDP'), (socket.AF_UNIX, 'UNKNOWN')):
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            if family == socket.AF_INET:
                probe.bind(('127.0.0.1', 0))
            _refused(probe.fileno(), kind)
            assert probe.fileno() >= 0


@pytest.mark.parametrize('fd, error, message', [
    (-1, errors.ERR_OUT_OF_RANGE, 'It must be >= 0 && <= 2147483647. Received -1'),
    (2 ** 31, errors.ERR_OUT_OF_RANGE, 'It must be >= 0 && <= 2147483647'),
    (1.5, errors.ERR_OUT_OF_RANGE, 'It must be an integer. Received 1.5'),
    ('3', errors.ERR_INVALID_ARG_TYPE, 'The "fd" argument must be of type number'),
    (True, errors.ERR_INVALID_ARG_TYPE, 'The "fd" argument must be of type number'),
])
def test_bad_fd_values(fd, error, message):
    with pytest.raises(error) as caught:
        gnet.Socket({'fd': fd})
    assert message in str(caught.value)


def test_guess_handle_type_names_what_libuv_names(pipe_fds):
    r, w = pipe_fds
    assert guess_handle_type(r) == guess_handle_type(w) == 'PIPE'
    a, b = socket.socketpair()
    with a, b:
        assert guess_handle_type(a.fileno()) == 'PIPE'
    with socket.socket() as tcp:
        assert guess_handle_type(tcp.fileno()) == 'TCP'


def test_a_fifo_handle_is_a_pipe_handle_and_nothing_tcp(pipe_fds):
    from zope.interface.verify import verifyObject
    import gevent
    handle = FifoHandle(os.dup(pipe_fds[0]), gevent.get_hub())
    try:
        verifyObject(interfaces.IPipeHandle, handle)
        assert not interfaces.ITCPHandle.providedBy(handle)
        assert handle.path() is None and handle.sockname() is None
    finally:
        handle.close()
