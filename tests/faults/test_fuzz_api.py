"""Every public call fuzzed with odd values: success, or a gnet error with a Node code (hypothesis).

Guarantee (docs/reliability.md, "Bad input"; issue 18): whatever a caller
passes -- NaN, +-infinity, ints far beyond a double, negative numbers,
strings, bytes, None, lists, dicts -- to ``create_server`` and its options,
``listen``, ``connect`` and its options, the ``Socket`` constructor,
``set_timeout``, ``set_keep_alive``, ``set_no_delay``, ``write``, ``end``,
the ``BlockList`` methods, ``SocketAddress`` and ``is_ip``:

* the call succeeds, or raises a :class:`gnet.errors.NodeError` whose
  ``.code`` is Node's (``ERR_*``, ``ABORT_ERR``, or an errno name) -- never a
  bare ``ValueError``/``OverflowError``/``TypeError`` from inside gnet;
* ``set_keep_alive``, ``set_no_delay`` and ``is_ip``/``is_ipv4``/``is_ipv6``
  never raise at all (Node's never throw);
* what follows a successful call is Node-shaped too: every ``'error'``
  carries such a code, a server still emits ``'connection'`` for each
  client and serves it, and nothing becomes an uncaught exception;
* every example leaves no descriptor open (checked per example, after its
  own clean-up: the autouse leak check of tests/conftest.py runs per test).

Bounded: a few hundred examples in all (CI loads hypothesis's derandomized
``ci`` profile); ``GNET_LONG=1`` runs ten times as many.  Strings never
reach a place where they would name a file outside a temporary directory
or a host to resolve over the network.
"""

import os
import re
import tempfile

import gevent
import gevent.event
import pytest
from gevent import socket as gsocket
from hypothesis import HealthCheck, event, given, settings, strategies as st

import gnet
from gnet import errors
from faults_support import LONG

SCALE = 10 if LONG else 1
WAIT = 5.0
#: Node's error codes: ERR_*, ABORT_ERR, or a system error name as libuv has it
#: (ECONNREFUSED, EINVAL, EAI_ADDRFAMILY...)
NODE_CODE = re.compile(r'^(ERR_[A-Z0-9_]+|ABORT_ERR|E[A-Z0-9_]+)$')


def fuzz(examples):
    """``@settings`` for one fuzz test: ``examples`` (x10 under GNET_LONG=1), no deadline."""
    return settings(max_examples=examples * SCALE, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


# -- odd values ---------------------------------------------------------------------------------
HUGE = st.sampled_from([10 ** 400, -10 ** 400, 2 ** 31 * 1000, 2 ** 31, 2 ** 32, 2 ** 53,
                        2 ** 53 + 1, 2 ** 64, -1, 0, 1, 1000, 65535, 65536, 32768 * 1000])
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(min_value=-2 ** 70, max_value=2 ** 70), HUGE)
#: odd values that are never strings (safe where a string would be a path or a host); the
#: dicts' keys are no option names (``{'fd': 1}`` would adopt stdout)
OBJECTS = st.one_of(st.binary(max_size=4), st.none(), st.booleans(),
                    st.lists(st.integers(), max_size=2),
                    st.dictionaries(st.text(alphabet='xyz', max_size=3), st.integers(), max_size=2))
NOT_TEXT = st.one_of(NUMBERS, OBJECTS)
#: strings that are harmless anywhere a number is expected
NUMERIC_TEXT = st.sampled_from(['', ' ', 'x', '80', '0x10', '1e3', '-1', '1.5', 'NaN',
                                'Infinity', '1_000', '65536', '\u0661'])
ODD = st.one_of(NOT_TEXT, NUMERIC_TEXT, st.text(max_size=6))
#: where a string is a host: loopback literals and localhost only (no network lookups); the
#: others are truthy non-strings (a falsy host would mean the unspecified address)
LOOPBACK = st.sampled_from(['127.0.0.1', '::1', 'localhost'])
HOSTS = st.one_of(LOOPBACK, st.one_of(
    NUMBERS.filter(bool), st.binary(min_size=1, max_size=4), st.just(True),
    st.lists(st.integers(), min_size=1, max_size=2),
    st.dictionaries(st.text(alphabet='xyz', max_size=3), st.integers(), min_size=1, max_size=2)))
ENCODINGS = st.one_of(st.sampled_from(['utf8', 'latin1', 'hex', 'base64', 'utf16le', 'ascii',
                                       'bogus', '']), NOT_TEXT)
ADDRESSES = st.one_of(st.sampled_from(['1.2.3.4', '::1', '10.0.0.0', 'ffff::', '::ffff:1.2.3.4',
                                       '256.1.1.1', 'bad', '']), ODD)
FAMILIES = st.one_of(st.sampled_from(['ipv4', 'ipv6', 'IPv4', 'IPv6', 'ipv5']), ODD)


def option_dicts(keys, values=ODD, max_size=None):
    """Dicts with some of ``keys`` (snake_case or Node's camelCase) set to odd values."""
    names = st.sampled_from(keys).flatmap(
        lambda key: st.sampled_from([key, gnet.naming.camel(key)]))
    return st.dictionaries(names, values, max_size=max_size or len(keys))


# -- outcome checks -------------------------------------------------------------------------------
def node_error(err):
    assert isinstance(err, errors.NodeError), 'not a gnet error: %r' % (err,)
    assert isinstance(err.code, str) and NODE_CODE.match(err.code), \
        'not a Node code: %r (%r)' % (err.code, err)
    assert str(err), 'an error without a message'


def attempt(call, *args, **kwargs):
    """``call(...)``: its result, or None after a gnet error with a Node code (anything
    else propagates, and hypothesis reports it)."""
    try:
        result = call(*args, **kwargs)
    except errors.NodeError as err:
        node_error(err)
        event('%s raised %s' % (getattr(call, '__name__', 'call'), err.code))
        return None
    event('%s returned' % getattr(call, '__name__', 'call'))
    return result


def open_fds():
    return set(os.listdir('/proc/self/fd'))


def settle_fds(before, timeout=WAIT):
    """Wait (bounded) until the open descriptors are ``before`` again; assert it."""
    with gevent.Timeout(timeout, False):
        while open_fds() != before:
            gevent.sleep(0.005)
    leaked = open_fds() - before
    assert not leaked, 'descriptors left open: %s' % sorted(
        '%s->%s' % (fd, _readlink(fd)) for fd in leaked)


def _readlink(fd):
    try:
        return os.readlink('/proc/self/fd/%s' % fd)
    except OSError:
        return '?'


def wait_event(emitter, event, timeout=WAIT):
    """True once ``event`` fired (or had fired, for a socket's ``'close'``) within ``timeout``."""
    if event == 'close' and isinstance(emitter, gnet.Socket) and emitter.closed:
        return True
    done = gevent.event.Event()
    emitter.once(event, lambda *args: done.set())
    return done.wait(timeout)


@pytest.fixture
def uncaught():
    """Exceptions that reached the loop uncaught while the test ran (none is allowed)."""
    caught = []

    def record(err, origin=None):
        caught.append(err)
    gnet.process.on('uncaughtException', record)
    yield caught
    gnet.process.remove_listener('uncaughtException', record)
    assert not caught, 'uncaught: %r' % (caught,)


@pytest.fixture(scope='module', autouse=True)
def resolver_started():
    """Start gevent's resolver (its descriptors live for the process) before any leak check."""
    gsocket.getaddrinfo('127.0.0.1', 0)
    gsocket.getaddrinfo('localhost', 0)
    yield


@pytest.fixture
def sock_dir():
    with tempfile.TemporaryDirectory(prefix='gnet-fuzz-') as directory:
        yield directory


def dispose(obj):
    """Destroy a socket or close a server made by an example; wait (bounded) for its 'close'."""
    if isinstance(obj, gnet.Socket):
        obj.on('error', lambda *args: None)
        obj.destroy()
        assert wait_event(obj, 'close')
    elif isinstance(obj, gnet.Server):
        obj.on('error', lambda *args: None)
        if obj.listening or obj._lookup_pending or obj.connections:
            closed = gevent.event.Event()
            obj.close(lambda *args: closed.set())
            assert closed.wait(WAIT)


def watch_errors(emitter):
    """Every 'error' of ``emitter`` must carry a Node code (a listener also keeps it handled)."""
    emitter.on('error', node_error)


# -- the module functions and pure classes ---------------------------------------------------------
@fuzz(300)
@given(value=st.one_of(ODD, ADDRESSES))
def test_is_ip_never_raises(value):
    assert gnet.is_ip(value) in (0, 4, 6)
    assert gnet.is_ipv4(value) in (True, False)
    assert gnet.is_ipv6(value) in (True, False)


@fuzz(300)
@given(ops=st.lists(st.one_of(
    st.tuples(st.just('add_address'), ADDRESSES, FAMILIES),
    st.tuples(st.just('add_range'), ADDRESSES, ADDRESSES, FAMILIES),
    st.tuples(st.just('add_subnet'), ADDRESSES, ODD, FAMILIES),
    st.tuples(st.just('check'), ADDRESSES, FAMILIES)), max_size=6))
def test_block_list_methods(ops):
    block_list = gnet.BlockList()
    for name, *args in ops:
        result = attempt(getattr(block_list, name), *args)
        if name == 'check':
            assert result in (True, False, None)
    assert all(isinstance(rule, str) for rule in block_list.rules)
    copy = gnet.BlockList().from_json(block_list.to_json())
    assert copy.rules == block_list.rules


@fuzz(300)
@given(options=st.one_of(ODD, option_dicts(['address', 'port', 'family', 'flowlabel']),
                         st.fixed_dictionaries({'address': ADDRESSES, 'family': FAMILIES})),
       text=ODD)
def test_socket_address(options, text):
    address = attempt(gnet.SocketAddress, options)
    if address is not None:
        assert isinstance(address.address, str) and 0 <= address.port <= 65535
    parsed = attempt(gnet.SocketAddress.parse, text)
    assert parsed is None or isinstance(parsed, gnet.SocketAddress)


@fuzz(150)
@given(value=ODD)
def test_default_attempt_timeout(value):
    before = gnet.get_default_auto_select_family_attempt_timeout()
    try:
        attempt(gnet.set_default_auto_select_family_attempt_timeout, value)
        assert isinstance(gnet.get_default_auto_select_family_attempt_timeout(), int)
    finally:
        gnet.set_default_auto_select_family_attempt_timeout(before)


# -- the Socket constructor ------------------------------------------------------------------------
#: ``fd`` only with values that name no open descriptor (a number is Node's legacy
#: ``new Socket(fd)``: 0 would adopt stdin)
SOCKET_OPTIONS = ['allow_half_open', 'readable', 'writable', 'no_delay', 'keep_alive',
                  'keep_alive_initial_delay', 'high_water_mark', 'readable_high_water_mark',
                  'writable_high_water_mark', 'onread', 'signal', 'block_list']


@fuzz(200)
@given(options=st.one_of(option_dicts(SOCKET_OPTIONS), OBJECTS,
                         st.sampled_from([{'fd': -1}, {'fd': 2 ** 31}, {'fd': float('nan')}, 1.5,
                                          float('nan'), float('inf'), -1, 10 ** 400])))
def test_socket_constructor(options):
    before = open_fds()
    sock = attempt(gnet.Socket, options)
    if sock is not None:
        dispose(sock)
    settle_fds(before)


# -- servers: options, listen, and a connection served ---------------------------------------------
SERVER_OPTIONS = ['allow_half_open', 'pause_on_connect', 'no_delay', 'keep_alive',
                  'keep_alive_initial_delay', 'high_water_mark', 'block_list',
                  'proxy_protocol', 'proxy_protocol_timeout']
TRANSPORTS = ['tcp4', 'ipc']


def listen_args(transport, directory):
    return (0, '127.0.0.1') if transport == 'tcp4' else (os.path.join(directory, 's'),)


def serves_a_client(server, transport):
    """A raw client connects, gets 'connection' and the server's b'ok', then EOF."""
    address = server.address()
    family = gsocket.AF_INET if transport == 'tcp4' else gsocket.AF_UNIX
    target = ('127.0.0.1', address['port']) if transport == 'tcp4' else address
    connected = gevent.event.Event()
    server.once('connection', lambda conn: connected.set())
    with gsocket.socket(family, gsocket.SOCK_STREAM) as client:
        client.settimeout(WAIT)
        client.connect(target)
        data = b''
        while True:
            chunk = client.recv(64)
            if not chunk:
                break
            data += chunk
    assert connected.wait(WAIT), "no 'connection'"
    assert data == b'ok'


def serve(conn):
    conn.resume()  # a pause_on_connect socket too: it reads the client's EOF and closes
    conn.end(b'ok')


@pytest.mark.parametrize('transport', TRANSPORTS)
@fuzz(60)
@given(options=st.one_of(option_dicts(SERVER_OPTIONS, max_size=3), NOT_TEXT,
                         st.fixed_dictionaries({'keepAlive': st.just(True),
                                                'keepAliveInitialDelay': ODD,
                                                'noDelay': st.booleans()})),
       later=st.tuples(st.sampled_from(SERVER_OPTIONS[:7]), ODD))
def test_create_server_options_then_serve(transport, options, later, sock_dir, uncaught):
    """Any options: create_server raises a Node error, or the server serves every client --
    also after an option is assigned an odd value while it listens with keep-alive on."""
    before = open_fds()
    server = attempt(gnet.create_server, options, serve)
    if server is not None:
        watch_errors(server)
        try:
            server.listen(*listen_args(transport, sock_dir))
            assert wait_event(server, 'listening')
            if not server.proxy_protocol:  # with it, a client owes a PROXY header first
                event('served')
                serves_a_client(server, transport)
                server.keep_alive = True
                attempt(setattr, server, *later)
                serves_a_client(server, transport)
        finally:
            dispose(server)
    settle_fds(before)


def binds_nowhere(port):
    """False if ``listen(port)`` with no host would bind the unspecified address."""
    try:
        gnet.net.args.validate_port(port)
    except errors.NodeError:
        return True
    return False


#: listen options but ``fd`` (it would adopt a real descriptor) and ``path`` (a file)
LISTEN_OPTIONS = ['port', 'backlog', 'exclusive', 'ipv6_only', 'reuse_port',
                  'readable_all', 'writable_all', 'signal']
PORTS = st.one_of(NOT_TEXT, NUMERIC_TEXT)
LISTEN_ARGS = st.one_of(
    st.tuples(option_dicts(LISTEN_OPTIONS, PORTS)),  # the host is added by the test
    st.tuples(st.one_of(OBJECTS, NUMBERS).filter(binds_nowhere)),
    st.tuples(st.one_of(OBJECTS, NUMBERS).filter(binds_nowhere), NOT_TEXT),
    st.tuples(PORTS, LOOPBACK),
    st.tuples(PORTS, LOOPBACK, NOT_TEXT))


@fuzz(150)
@given(args=LISTEN_ARGS, host=HOSTS)
def test_listen_arguments(args, host, uncaught):
    """``listen`` with odd arguments: a Node error, or a server that listens (or emits an
    'error' with a Node code), closed again with nothing left open.  Only loopback
    addresses are bound."""
    if isinstance(args[0], dict):
        args = (dict(args[0], host=host),)
    before = open_fds()
    server = gnet.create_server()
    failed = gevent.event.Event()
    server.on('error', lambda err: (node_error(err), failed.set()))
    try:
        if attempt(server.listen, *args) is not None:
            listening = gevent.event.Event()
            server.once('listening', lambda: listening.set())
            assert gevent.wait([listening, failed], timeout=WAIT, count=1)
    finally:
        dispose(server)
    settle_fds(before)


# -- connect and the methods of a connected socket ---------------------------------------------------
CONNECT_OPTIONS = ['port', 'timeout', 'family', 'hints', 'local_port',
                   'auto_select_family', 'auto_select_family_attempt_timeout', 'no_delay',
                   'keep_alive', 'keep_alive_initial_delay', 'high_water_mark', 'allow_half_open']


@pytest.fixture(params=TRANSPORTS)
def peer(request, sock_dir):
    """A listening server whose connections read everything and end when the client does."""
    server = gnet.create_server(lambda conn: (conn.on('error', lambda *a: None), conn.resume()))
    server.listen(*listen_args(request.param, sock_dir))
    assert wait_event(server, 'listening')
    yield server
    dispose(server)


def target_of(server):
    address = server.address()
    return {'path': address} if isinstance(address, str) else {
        'port': address['port'], 'host': '127.0.0.1'}


def settle_peer(server):
    with gevent.Timeout(WAIT, False):
        while server.connections:
            gevent.sleep(0.005)
    assert not server.connections, 'the server kept a connection the client closed'


@fuzz(60)
@given(options=option_dicts(CONNECT_OPTIONS, max_size=3), host=HOSTS,
       local_address=st.one_of(st.none(), st.sampled_from(['127.0.0.1', '::1', 'bad']), NOT_TEXT),
       form=st.sampled_from(['connect', 'create_connection', 'socket']), use_peer=st.booleans())
def test_connect_options(peer, options, host, local_address, form, use_peer, uncaught):
    """``connect`` with odd options: a Node error, or a socket that connects or fails with an
    'error' carrying a Node code, then closes."""
    options = dict(options, host=host)
    if use_peer:  # the port (or path) of a live server; the other options stay odd
        options.update(target_of(peer))
    if local_address is not None:
        options['local_address'] = local_address
    before = open_fds()
    if form == 'socket':
        sock = gnet.Socket()
        if attempt(sock.connect, options) is None:
            dispose(sock)
            sock = None
    else:
        sock = attempt(getattr(gnet, form), options)
    if sock is not None:
        watch_errors(sock)
        done = gevent.event.Event()
        sock.once('connect', lambda: done.set())
        sock.once('close', lambda *a: done.set())
        assert done.wait(WAIT), "neither 'connect' nor 'close'"
        event('connected' if not sock.connecting and not sock.destroyed else 'connect failed')
        dispose(sock)
    settle_peer(peer)
    settle_fds(before)


OPS = st.one_of(
    st.tuples(st.just('set_timeout'), ODD),
    st.tuples(st.just('set_timeout'), ODD, st.one_of(st.just(lambda *a: None), ODD)),
    st.tuples(st.just('set_keep_alive'), ODD, ODD),
    st.tuples(st.just('set_keep_alive'), ODD),
    st.tuples(st.just('set_no_delay'), ODD),
    st.tuples(st.just('write'), ODD),
    st.tuples(st.just('write'), st.one_of(st.text(max_size=8), st.binary(max_size=8)), ENCODINGS),
    st.tuples(st.just('write'), st.binary(max_size=8), st.just(lambda *a: None)),
    st.tuples(st.just('end'), ODD),
    st.tuples(st.just('end'), st.one_of(st.text(max_size=8), ODD), ENCODINGS),
    st.tuples(st.just('set_encoding'), ENCODINGS))
#: calls Node never lets throw
NEVER_RAISE = ('set_keep_alive', 'set_no_delay')


@fuzz(60)
@given(ops=st.lists(OPS, min_size=1, max_size=6), connected=st.booleans())
def test_socket_methods(peer, ops, connected, uncaught):
    """set_timeout / set_keep_alive / set_no_delay / write / end / set_encoding with odd
    arguments, before and after connecting."""
    before = open_fds()
    sock = gnet.Socket()
    watch_errors(sock)
    try:
        if connected:
            sock.connect(target_of(peer))
            assert wait_event(sock, 'connect')
        for name, *args in ops:
            if name in NEVER_RAISE:
                assert getattr(sock, name)(*args) is sock
            else:
                attempt(getattr(sock, name), *args)
    finally:
        dispose(sock)
    settle_peer(peer)
    settle_fds(before)
