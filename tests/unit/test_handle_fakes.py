"""A Socket over fake handles: capabilities reach the handle only where the handle has them.

The pattern of Node's test/parallel/test-net-socket-setnodelay.js (fake
handles prove the no-op path), over gnet.testing's fakes, which are checked
against the interfaces they declare.
"""

import pytest
from zope.interface.verify import verifyObject

import gnet
from gnet import interfaces
from gnet.testing import FakeListenHandle, FakePipeHandle, FakeTCPHandle

TRUTHY = [True, 1, 'true', {'x': 1}, [1]]
FALSY = [False, 0, '', None]


def calls(handle, name):
    return [args for method, args in handle.calls if method == name]


@pytest.fixture
def socket_over():
    made = []

    def make(handle):
        sock = gnet.Socket({'handle': handle})
        made.append(sock)
        return sock
    yield make
    for sock in made:
        sock.destroy()
    gnet.run()


def test_the_fakes_pass_verify_object():
    tcp, pipe = FakeTCPHandle(), FakePipeHandle()
    assert verifyObject(interfaces.ITCPHandle, tcp)
    assert not interfaces.IPipeHandle.providedBy(tcp)
    assert verifyObject(interfaces.IPipeHandle, pipe)
    assert not interfaces.ITCPHandle.providedBy(pipe)
    assert verifyObject(interfaces.IListenHandle, FakeListenHandle())


def test_K1_set_no_delay_defaults_to_true_and_reaches_a_tcp_handle(socket_over):
    handle = FakeTCPHandle()
    sock = socket_over(handle)
    assert sock.set_no_delay() is sock
    assert calls(handle, 'set_no_delay') == [(True,)]


def test_K1_truthy_values_enable_no_delay_once(socket_over):
    handle = FakeTCPHandle()
    sock = socket_over(handle)
    for value in TRUTHY:
        assert sock.set_no_delay(value) is sock
    assert calls(handle, 'set_no_delay') == [(True,)]


def test_K1_falsy_values_never_reach_the_handle_when_already_off(socket_over):
    handle = FakeTCPHandle()
    sock = socket_over(handle)
    for value in FALSY:
        assert sock.set_no_delay(value) is sock
    assert calls(handle, 'set_no_delay') == []


def test_K1_on_a_pipe_set_no_delay_and_set_keep_alive_are_no_ops(socket_over):
    handle = FakePipeHandle()
    sock = socket_over(handle)
    assert sock.set_no_delay(True) is sock
    assert sock.set_keep_alive(True, 1000) is sock
    assert not hasattr(handle, 'set_no_delay')
    assert handle.calls == []


def test_K1_keep_alive_reaches_a_tcp_handle_with_seconds(socket_over):
    handle = FakeTCPHandle()
    sock = socket_over(handle)
    sock.set_keep_alive(True, 3500)
    assert calls(handle, 'set_keep_alive') == [(True, 3)]


def test_the_pipe_path_and_tcp_addresses_come_from_the_handle(socket_over):
    pipe = socket_over(FakePipeHandle('/tmp/x.sock'))
    tcp = socket_over(FakeTCPHandle())
    assert pipe.remote_address is None and pipe.address() == {}
    assert tcp.remote_port == 40001 and tcp.address()['port'] == 40000


def test_a_write_goes_to_the_handle(socket_over):
    handle = FakeTCPHandle()
    sock = socket_over(handle)
    assert sock.write(b'hello') is True
    assert b''.join(handle.written) == b'hello' and sock.bytes_written == 5
