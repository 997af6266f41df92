"""gnet.errors: every class has Node's code, name and builtin base."""

import errno
import socket

import pytest

from gnet import errors

JS_BASE = {'TypeError': TypeError, 'RangeError': ValueError, 'Error': errors.NodeError}


@pytest.mark.parametrize('code', sorted(errors.codes))
def test_every_registered_class_has_code_name_and_builtin(code):
    cls = errors.codes[code]
    assert getattr(errors, code) is cls
    assert cls.code == code
    assert issubclass(cls, errors.NodeError) and issubclass(cls, Exception)
    assert issubclass(cls, JS_BASE.get(cls.name, errors.NodeError))
    if cls.name == 'TypeError':
        assert issubclass(cls, TypeError)
    if cls.name == 'RangeError':
        assert issubclass(cls, ValueError)


def test_messages_read_like_node():
    e = errors.ERR_INVALID_ARG_TYPE('options.port', 'number', 'abc')
    assert e.code == 'ERR_INVALID_ARG_TYPE' and e.name == 'TypeError'
    assert str(e).startswith('The "options.port" property must be of type number.')
    assert str(errors.ERR_SERVER_ALREADY_LISTEN()) == \
        'Listen method has been called more than once without closing.'
    assert str(errors.ERR_SOCKET_BAD_PORT('Port', 70000)) == \
        'Port should be >= 0 and < 65536. Received 70000.'
    assert isinstance(errors.ERR_SOCKET_BAD_PORT(), ValueError)
    assert str(errors.ERR_STREAM_DESTROYED('write')) == \
        'Cannot call write after a stream was destroyed'


def test_abort_error():
    e = errors.AbortError(cause='why')
    assert e.code == 'ABORT_ERR' and e.name == 'AbortError' and e.cause == 'why'
    assert isinstance(e, errors.NodeError)


def test_sys_error_connect_message_and_fields():
    e = errors.SysError(errno.ECONNREFUSED, 'connect', '127.0.0.1', 9)
    assert str(e) == 'connect ECONNREFUSED 127.0.0.1:9'
    assert e.code == 'ECONNREFUSED' and e.errno == errno.ECONNREFUSED
    assert e.syscall == 'connect' and e.address == '127.0.0.1' and e.port == 9
    assert isinstance(e, OSError) and isinstance(e, errors.NodeError)


def test_sys_error_listen_message():
    e = errors.SysError(errno.EADDRINUSE, 'listen', '::', 8124, extra='address already in use')
    assert str(e) == 'listen EADDRINUSE: address already in use :::8124'


def test_sys_error_from_oserror_and_gaierror():
    e = errors.sys_error(ConnectionResetError(errno.ECONNRESET, 'reset'), 'read')
    assert isinstance(e, errors.SysError) and e.code == 'ECONNRESET' and e.syscall == 'read'
    g = errors.sys_error(socket.gaierror(socket.EAI_NONAME, 'Name or service not known'),
                         'getaddrinfo', 'no.such.host')
    assert g.code == 'ENOTFOUND' and g.syscall == 'getaddrinfo'
    assert str(g) == 'getaddrinfo ENOTFOUND no.such.host'
    passthrough = errors.ERR_SOCKET_CLOSED()
    assert errors.sys_error(passthrough, 'write') is passthrough


def test_sys_error_pickles():
    import pickle
    e = pickle.loads(pickle.dumps(errors.SysError(errno.EPIPE, 'write')))
    assert e.code == 'EPIPE' and e.syscall == 'write'
