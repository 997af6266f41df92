"""Every implementer verifies against its zope.interface declaration."""

import socket

import gevent
import pytest
from zope.interface.verify import verifyClass, verifyObject

import gnet
from gnet import interfaces
from gnet.net.handles import PipeHandle, TCPHandle
from gnet.net.handles.listen import ListenHandle


def test_emitter_signal_blocklist_and_streams():
    verifyObject(interfaces.IEventEmitter, gnet.EventEmitter())
    verifyObject(interfaces.IAbortSignal, gnet.AbortController().signal)
    verifyObject(interfaces.IBlockList, gnet.BlockList())
    verifyObject(interfaces.IReadable, gnet.Readable())
    verifyObject(interfaces.IWritable, gnet.Writable())
    verifyObject(interfaces.IDuplex, gnet.Duplex())
    verifyObject(interfaces.IDuplex, gnet.PassThrough())


def test_socket_and_server():
    sock = gnet.Socket()
    verifyObject(interfaces.ISocket, sock)
    sock.destroy()
    verifyObject(interfaces.IServer, gnet.Server())


def test_handles_declare_capabilities_not_more():
    hub = gevent.get_hub()
    a, b = socket.socketpair()
    try:
        pipe = PipeHandle(a, hub)
        verifyObject(interfaces.IPipeHandle, pipe)
        assert not interfaces.ITCPHandle.providedBy(pipe)
        pipe.close()
    finally:
        b.close()
    tcp = TCPHandle.new(socket.AF_INET, hub)
    verifyObject(interfaces.ITCPHandle, tcp)
    assert not interfaces.IPipeHandle.providedBy(tcp)
    tcp.close()
    verifyClass(interfaces.IListenHandle, ListenHandle)


@pytest.mark.parametrize('name', interfaces.__all__)
def test_every_interface_has_a_docstring(name):
    assert getattr(interfaces, name).__doc__
