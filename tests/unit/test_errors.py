"""gnet.errors: every class has Node's code, name and builtin base."""

import errno
import pickle
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
    e = pickle.loads(pickle.dumps(errors.SysError(errno.EPIPE, 'write')))
    assert e.code == 'EPIPE' and e.syscall == 'write'


# CPython's errno -> class table (Objects/exceptions.c), spelled out here so
# that the test does not derive its expectation the way gnet does
STDLIB_CLASSES = {
    'EAGAIN': BlockingIOError, 'EALREADY': BlockingIOError, 'EINPROGRESS': BlockingIOError,
    'EWOULDBLOCK': BlockingIOError, 'EPIPE': BrokenPipeError, 'ESHUTDOWN': BrokenPipeError,
    'ECHILD': ChildProcessError, 'ECONNABORTED': ConnectionAbortedError,
    'ECONNREFUSED': ConnectionRefusedError, 'ECONNRESET': ConnectionResetError,
    'EEXIST': FileExistsError, 'ENOENT': FileNotFoundError, 'EISDIR': IsADirectoryError,
    'ENOTDIR': NotADirectoryError, 'EINTR': InterruptedError, 'EACCES': PermissionError,
    'EPERM': PermissionError, 'ESRCH': ProcessLookupError, 'ETIMEDOUT': TimeoutError,
}
BUILTIN_OSERRORS = set(STDLIB_CLASSES.values())


@pytest.mark.parametrize('number', sorted(errno.errorcode))
def test_sys_error_is_the_builtin_the_stdlib_raises_for_its_errno(number):
    name = errno.errorcode[number]
    expected = STDLIB_CLASSES.get(name)
    assert type(OSError(number, 'x')) is (expected or OSError)  # the table above is CPython's
    e = errors.SysError(number, 'connect', '127.0.0.1', 9)
    assert isinstance(e, errors.SysError) and isinstance(e, errors.NodeError)
    assert isinstance(e, OSError)
    assert [cls for cls in BUILTIN_OSERRORS if isinstance(e, cls)] == ([expected] if expected else [])
    # everything else as before
    assert (e.code, e.errno, e.syscall, e.address, e.port) == (name, number, 'connect', '127.0.0.1', 9)
    assert e.name == 'Error' and e.hostname is None
    assert str(e) == 'connect %s 127.0.0.1:9' % name and e.args == (number, str(e))
    with pytest.raises(expected or errors.SysError):
        raise e


def test_sys_error_classes_are_made_once_per_builtin():
    a = errors.SysError(errno.EPIPE, 'write')
    b = errors.SysError(errno.ESHUTDOWN, 'write')
    c = errors.SysError(errno.EPIPE, 'shutdown')
    assert type(a) is type(b) is type(c) and type(a) is not errors.SysError
    assert issubclass(type(a), errors.SysError) and issubclass(type(a), BrokenPipeError)
    assert type(errors.SysError(errno.EADDRINUSE, 'listen')) is errors.SysError


def test_an_errno_without_a_builtin_stays_a_plain_sys_error():
    e = errors.SysError(errno.EADDRINUSE, 'listen', '::', 8124, extra='address already in use')
    assert type(e) is errors.SysError
    assert not isinstance(e, (ConnectionError, TimeoutError, BlockingIOError, PermissionError))
    dns = errors.dns_error(socket.EAI_NONAME, 'no.such.host', 'ENOTFOUND')
    assert type(dns) is errors.SysError and dns.hostname == 'no.such.host'
    assert not isinstance(dns, FileNotFoundError)


@pytest.mark.parametrize('make', [
    lambda: errors.SysError(errno.ECONNREFUSED, 'connect', '127.0.0.1', 9),
    lambda: errors.SysError(errno.ETIMEDOUT, 'listen', '::', 80, extra='timed out'),
    lambda: errors.SysError(errno.EADDRINUSE, 'listen', '::', 8124, extra='address already in use'),
    lambda: errors.dns_error(socket.EAI_NONAME, 'no.such.host', 'ENOTFOUND'),
    lambda: errors.sys_error(ConnectionResetError(errno.ECONNRESET, 'reset'), 'read'),
])
def test_sys_error_pickle_round_trip_keeps_class_and_fields(make):
    e = make()
    e.extra_field = 'kept'
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is type(e)
    assert str(back) == str(e) and back.args == e.args and back.strerror == e.strerror
    for field in ('code', 'errno', 'syscall', 'address', 'port', 'hostname', 'name', 'extra_field'):
        assert getattr(back, field) == getattr(e, field), field


def test_sys_error_from_a_stdlib_exception_keeps_its_builtin_class():
    assert isinstance(errors.sys_error(BrokenPipeError(errno.EPIPE, 'x'), 'write'), BrokenPipeError)
    assert isinstance(errors.sys_error(TimeoutError('timed out'), 'connect'), TimeoutError)
    assert isinstance(errors.sys_error(ConnectionRefusedError(errno.ECONNREFUSED, 'x'), 'connect'),
                      ConnectionRefusedError)
