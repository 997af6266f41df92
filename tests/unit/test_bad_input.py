"""Bad input: every public call with wrong types and out-of-range values.

Guarantee (docs/reliability.md, "Bad input"): a public function or method
given a wrong type or an out-of-range value raises synchronously, before
doing anything, the error Node raises -- the same ``.code``, the same JS
class (``.name``), and the Python builtin that matches it (JS TypeError ->
TypeError, RangeError -> ValueError, Error -> NodeError) -- and it opens no
descriptor.  Calls Node accepts are accepted too (the row's code is None).

Each row carries the JavaScript it ports; ``test_table_matches_node`` runs
them all in one ``node`` process and checks that node v20 throws exactly the
code of the row (or the row's ``node`` column where gnet's documented
contract is deliberately stricter -- API.md section 1: a known option of the
wrong type raises ERR_INVALID_ARG_TYPE).
"""

import json
import os
import shutil
import subprocess
from typing import Any, Callable, NamedTuple, Optional

import pytest

import gnet
from gnet import errors

NODE = shutil.which('node')
JS_CLASS = {'TypeError': TypeError, 'RangeError': ValueError, 'Error': errors.NodeError}


class Row(NamedTuple):
    name: str
    js: str                       # the Node call this row ports
    call: Callable[[], Any]       # the gnet call
    code: Optional[str]           # what gnet raises (None: accepted)
    js_name: Optional[str] = None  # Node's class name: TypeError, RangeError, Error
    node: Any = 'same'            # what node v20 throws, where gnet deliberately differs
    why: str = ''                 # the reason for a deliberate difference
    bug: str = ''                 # a known gnet bug: the row is a strict xfail


def sock():
    return gnet.Socket()


def server():
    return gnet.create_server()


def writable():
    return gnet.Writable(write=lambda self, chunk, encoding, callback: callback())


def readable():
    return gnet.Readable(read=lambda self, size: None)


def blocklist():
    return gnet.BlockList()


def emitter():
    return gnet.EventEmitter()


def noop(*args):
    return None


T, R, E = 'TypeError', 'RangeError', 'Error'
STRICTER = 'API.md section 1: a known option of the wrong type raises'

ROWS = [
    # -- gnet.connect / create_connection -------------------------------------------
    Row('connect-no-args', 'net.connect()', lambda: gnet.connect(), 'ERR_MISSING_ARGS', T),
    Row('connect-empty-options', 'net.connect({})', lambda: gnet.connect({}), 'ERR_MISSING_ARGS', T),
    Row('connect-port-negative', 'net.connect({port: -1})',
        lambda: gnet.connect({'port': -1}), 'ERR_SOCKET_BAD_PORT', R),
    Row('connect-port-65536', 'net.connect({port: 65536})',
        lambda: gnet.connect({'port': 65536}), 'ERR_SOCKET_BAD_PORT', R),
    Row('connect-port-fraction', 'net.connect({port: 1.5})',
        lambda: gnet.connect({'port': 1.5}), 'ERR_SOCKET_BAD_PORT', R),
    Row('connect-port-word', "net.connect({port: 'abc'})",
        lambda: gnet.connect({'port': 'abc'}), 'ERR_SOCKET_BAD_PORT', R),
    Row('connect-port-bool', 'net.connect({port: true})',
        lambda: gnet.connect({'port': True}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-port-object', 'net.connect({port: {}})',
        lambda: gnet.connect({'port': {}}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-keyword-port-negative', 'net.connect({port: -1})',
        lambda: gnet.connect(port=-1), 'ERR_SOCKET_BAD_PORT', R),
    Row('connect-keyword-host-number', 'net.connect({port: 80, host: 5})',
        lambda: gnet.connect(port=80, host=5), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-positional-port-negative', 'net.connect(-1)',
        lambda: gnet.connect(-1), 'ERR_SOCKET_BAD_PORT', R),
    Row('create-connection-port-65536', 'net.createConnection(65536)',
        lambda: gnet.create_connection(65536), 'ERR_SOCKET_BAD_PORT', R),
    Row('connect-host-number', 'net.connect({port: 80, host: 5})',
        lambda: gnet.connect({'port': 80, 'host': 5}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-local-address', "net.connect({port: 80, localAddress: 'bad'})",
        lambda: gnet.connect({'port': 80, 'localAddress': 'bad'}), 'ERR_INVALID_IP_ADDRESS', T),
    Row('connect-local-port-word', "net.connect({port: 80, localPort: 'x'})",
        lambda: gnet.connect({'port': 80, 'localPort': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-family', 'net.connect({port: 80, family: 5})',
        lambda: gnet.connect({'port': 80, 'family': 5}), 'ERR_INVALID_ARG_VALUE', T),
    Row('connect-lookup', 'net.connect({port: 80, lookup: 5})',
        lambda: gnet.connect({'port': 80, 'lookup': 5}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-path-number', 'net.connect({path: 5})',
        lambda: gnet.connect({'path': 5}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-timeout-negative', 'net.connect({port: 80, timeout: -1})',
        lambda: gnet.connect({'port': 80, 'timeout': -1}), 'ERR_OUT_OF_RANGE', R),
    Row('connect-timeout-word', "net.connect({port: 80, timeout: 'x'})",
        lambda: gnet.connect({'port': 80, 'timeout': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-signal', "net.connect({port: 80, signal: 'x'})",
        lambda: gnet.connect({'port': 80, 'signal': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-attempt-timeout', "net.connect({port: 80, autoSelectFamilyAttemptTimeout: 'x'})",
        lambda: gnet.connect({'port': 80, 'autoSelectFamilyAttemptTimeout': 'x'}),
        'ERR_INVALID_ARG_TYPE', T),
    Row('connect-auto-select-word', "net.connect({port: 80, autoSelectFamily: 'x'})",
        lambda: gnet.connect({'port': 80, 'autoSelectFamily': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-auto-select-number', 'net.connect({port: 80, autoSelectFamily: 1})',
        lambda: gnet.connect({'port': 80, 'autoSelectFamily': 1}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-auto-select-ip-host', "net.connect({port: 9, host: '127.0.0.1', autoSelectFamily: 0})",
        lambda: gnet.connect({'port': 9, 'host': '127.0.0.1', 'autoSelectFamily': 0}),
        'ERR_INVALID_ARG_TYPE', T),
    Row('create-connection-auto-select-word', "net.createConnection({port: 80, autoSelectFamily: 'x'})",
        lambda: gnet.create_connection(port=80, auto_select_family='x'), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-auto-select-null', "net.connect({port: 9, host: '127.0.0.1', autoSelectFamily: null})",
        lambda: gnet.connect({'port': 9, 'host': '127.0.0.1', 'autoSelectFamily': None}), None),
    Row('connect-attempt-timeout-zero', 'net.connect({port: 80, autoSelectFamilyAttemptTimeout: 0})',
        lambda: gnet.connect({'port': 80, 'autoSelectFamilyAttemptTimeout': 0}), 'ERR_OUT_OF_RANGE', R),
    Row('connect-attempt-timeout-negative', 'net.connect({port: 80, autoSelectFamilyAttemptTimeout: -10})',
        lambda: gnet.connect({'port': 80, 'autoSelectFamilyAttemptTimeout': -10}),
        'ERR_OUT_OF_RANGE', R),
    Row('connect-attempt-timeout-fraction', 'net.connect({port: 80, autoSelectFamilyAttemptTimeout: 1.5})',
        lambda: gnet.connect({'port': 80, 'autoSelectFamilyAttemptTimeout': 1.5}),
        'ERR_OUT_OF_RANGE', R),
    Row('connect-attempt-timeout-huge', 'net.connect({port: 80, autoSelectFamilyAttemptTimeout: 2 ** 31})',
        lambda: gnet.connect({'port': 80, 'autoSelectFamilyAttemptTimeout': 2 ** 31}),
        'ERR_OUT_OF_RANGE', R),
    Row('connect-lookup-ignored-for-ip', "net.connect({port: 9, host: '127.0.0.1', lookup: 5})",
        lambda: gnet.connect({'port': 9, 'host': '127.0.0.1', 'lookup': 5}), None),
    Row('connect-hints', "net.connect({port: 80, hints: 'x'})",
        lambda: gnet.connect({'port': 80, 'hints': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    # hints are checked by the default lookup (Node's dns.lookup): numbers, as uint32,
    # with no bits but ADDRCONFIG | V4MAPPED | ALL (32 | 8 | 16)
    Row('connect-hints-bits', 'net.connect({port: 80, hints: 98})',
        lambda: gnet.connect({'port': 80, 'hints': 98}), 'ERR_INVALID_ARG_VALUE', T),
    Row('connect-hints-negative', 'net.connect({port: 80, hints: -1})',
        lambda: gnet.connect({'port': 80, 'hints': -1}), 'ERR_INVALID_ARG_VALUE', T),
    Row('connect-hints-bool', 'net.connect({port: 80, hints: true})',
        lambda: gnet.connect({'port': 80, 'hints': True}), 'ERR_INVALID_ARG_TYPE', T),
    Row('connect-hints-all-valid', 'net.connect({port: 80, hints: 56})',
        lambda: gnet.connect({'port': 80, 'hints': 56}), None),
    Row('connect-hints-uint32-wraps', 'net.connect({port: 80, hints: 2 ** 32 + 8})',
        lambda: gnet.connect({'port': 80, 'hints': 2 ** 32 + 8}), None),
    Row('connect-hints-falsy', "net.connect({port: 80, hints: ''})",
        lambda: gnet.connect({'port': 80, 'hints': ''}), None),
    Row('connect-hints-ip-host', "net.connect({port: 9, host: '127.0.0.1', hints: 98})",
        lambda: gnet.connect({'port': 9, 'host': '127.0.0.1', 'hints': 98}), None),
    Row('connect-hints-custom-lookup', 'net.connect({port: 80, hints: 98, lookup() {}})',
        lambda: gnet.connect({'port': 80, 'hints': 98, 'lookup': noop}), None),
    Row('connect-hints-before-family', "net.connect({port: 80, hints: 'x', family: 5})",
        lambda: gnet.connect({'port': 80, 'hints': 'x', 'family': 5}), 'ERR_INVALID_ARG_TYPE', T),
    # a list is a JS array: an object to normalizeArgs, with no port and no path
    Row('socket-connect-array', 'new net.Socket().connect([{port: 80}, () => {}])',
        lambda: sock().connect([{'port': 80}, noop]), 'ERR_MISSING_ARGS', T),
    Row('connect-array', 'net.connect([{port: 80}])',
        lambda: gnet.connect([{'port': 80}]), 'ERR_MISSING_ARGS', T),
    Row('connect-tuple', 'net.connect([80])',
        lambda: gnet.connect((80,)), 'ERR_MISSING_ARGS', T),
    # -- new net.Socket(options) ------------------------------------------------------------
    Row('socket-fd-negative', 'new net.Socket({fd: -1})',
        lambda: gnet.Socket({'fd': -1}), 'ERR_OUT_OF_RANGE', R),
    Row('socket-fd-word', "new net.Socket({fd: 'x'})",
        lambda: gnet.Socket({'fd': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('socket-fd-fraction', 'new net.Socket({fd: 1.5})',
        lambda: gnet.Socket({'fd': 1.5}), 'ERR_OUT_OF_RANGE', R),
    Row('socket-fd-closed', 'new net.Socket({fd: 2 ** 30})',
        lambda: gnet.Socket({'fd': 2 ** 30}), 'ERR_INVALID_FD_TYPE', T),
    Row('socket-keep-alive-delay', "new net.Socket({keepAliveInitialDelay: 'x'})",
        lambda: gnet.Socket({'keepAliveInitialDelay': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('socket-signal', "new net.Socket({signal: 'x'})",
        lambda: gnet.Socket({'signal': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('socket-allow-half-open-word', "new net.Socket({allowHalfOpen: 'x'})",
        lambda: gnet.Socket({'allowHalfOpen': 'x'}), 'ERR_INVALID_ARG_TYPE', T,
        node='ok', why=STRICTER),
    Row('socket-no-delay-word', "new net.Socket({noDelay: 'x'})",
        lambda: gnet.Socket({'noDelay': 'x'}), 'ERR_INVALID_ARG_TYPE', T, node='ok', why=STRICTER),
    Row('socket-onread-number', 'new net.Socket({onread: 5})',
        lambda: gnet.Socket({'onread': 5}), 'ERR_INVALID_ARG_TYPE', T, node='ok', why=STRICTER),
    # -- Socket methods ----------------------------------------------------------------------------
    Row('set-timeout-negative', 'new net.Socket().setTimeout(-1)',
        lambda: sock().set_timeout(-1), 'ERR_OUT_OF_RANGE', R),
    Row('set-timeout-word', "new net.Socket().setTimeout('x')",
        lambda: sock().set_timeout('x'), 'ERR_INVALID_ARG_TYPE', T),
    Row('set-timeout-callback', 'new net.Socket().setTimeout(10, 5)',
        lambda: sock().set_timeout(10, 5), 'ERR_INVALID_ARG_TYPE', T),
    Row('set-timeout-infinity', 'new net.Socket().setTimeout(Infinity)',
        lambda: sock().set_timeout(float('inf')), 'ERR_OUT_OF_RANGE', R),
    Row('set-timeout-nan', 'new net.Socket().setTimeout(NaN)',
        lambda: sock().set_timeout(float('nan')), 'ERR_OUT_OF_RANGE', R),
    Row('write-number', 'new net.Socket().write(5)',
        lambda: sock().write(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('write-null', 'new net.Socket().write(null)',
        lambda: sock().write(None), 'ERR_STREAM_NULL_VALUES', T),
    Row('write-object', 'new net.Socket().write({})',
        lambda: sock().write({}), 'ERR_INVALID_ARG_TYPE', T),
    Row('write-encoding', "new net.Socket().write('x', 'bogus')",
        lambda: sock().write('x', 'bogus'), 'ERR_UNKNOWN_ENCODING', T),
    Row('end-number', 'new net.Socket().end(5)',
        lambda: sock().end(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('set-encoding', "new net.Socket().setEncoding('bogus')",
        lambda: sock().set_encoding('bogus'), 'ERR_UNKNOWN_ENCODING', T),
    Row('set-keep-alive-junk', "new net.Socket().setKeepAlive('x', 'y')",
        lambda: sock().set_keep_alive('x', 0), None),
    Row('set-no-delay-junk', "new net.Socket().setNoDelay('x')",
        lambda: sock().set_no_delay('x'), None),
    Row('socket-connect-no-args', 'new net.Socket().connect()',
        lambda: sock().connect(), 'ERR_MISSING_ARGS', T),
    Row('socket-connect-bad-port', 'new net.Socket().connect(-1)',
        lambda: sock().connect(-1), 'ERR_SOCKET_BAD_PORT', R),
    Row('socket-on-number', "new net.Socket().on('data', 5)",
        lambda: sock().on('data', 5), 'ERR_INVALID_ARG_TYPE', T),
    Row('socket-max-listeners-negative', 'new net.Socket().setMaxListeners(-1)',
        lambda: sock().set_max_listeners(-1), 'ERR_OUT_OF_RANGE', R),
    Row('socket-max-listeners-word', "new net.Socket().setMaxListeners('x')",
        lambda: sock().set_max_listeners('x'), 'ERR_INVALID_ARG_TYPE', T),
    # -- createServer / Server ---------------------------------------------------------------------
    Row('create-server-number', 'net.createServer(5)',
        lambda: gnet.create_server(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('create-server-keyword-hwm-word', "net.createServer({highWaterMark: 'x'})",
        lambda: gnet.create_server(high_water_mark='x'), 'ERR_INVALID_ARG_TYPE', T),
    Row('create-server-hwm-word', "net.createServer({highWaterMark: 'x'})",
        lambda: gnet.create_server({'highWaterMark': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('create-server-keep-alive-delay', "net.createServer({keepAliveInitialDelay: 'x'})",
        lambda: gnet.create_server({'keepAliveInitialDelay': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('create-server-half-open-word', "net.createServer({allowHalfOpen: 'x'})",
        lambda: gnet.create_server({'allowHalfOpen': 'x'}), 'ERR_INVALID_ARG_TYPE', T,
        node='ok', why=STRICTER),
    Row('create-server-pause-word', "net.createServer({pauseOnConnect: 'x'})",
        lambda: gnet.create_server({'pauseOnConnect': 'x'}), 'ERR_INVALID_ARG_TYPE', T,
        node='ok', why=STRICTER),
    Row('create-server-hwm-negative', 'net.createServer({highWaterMark: -1})',
        lambda: gnet.create_server({'highWaterMark': -1}), 'ERR_OUT_OF_RANGE', R,
        node='ok', why='a negative high-water mark is meaningless; Node ignores it'),
    Row('listen-empty-options', 'net.createServer().listen({})',
        lambda: server().listen({}), 'ERR_INVALID_ARG_VALUE', T),
    Row('listen-array', 'net.createServer().listen([{port: 0}])',
        lambda: server().listen([{'port': 0}]), 'ERR_INVALID_ARG_VALUE', T),
    Row('listen-65536', 'net.createServer().listen(65536)',
        lambda: server().listen(65536), 'ERR_SOCKET_BAD_PORT', R),
    Row('listen-negative', 'net.createServer().listen(-1)',
        lambda: server().listen(-1), 'ERR_SOCKET_BAD_PORT', R),
    Row('listen-fraction', 'net.createServer().listen(1.5)',
        lambda: server().listen(1.5), 'ERR_SOCKET_BAD_PORT', R),
    Row('listen-port-word', "net.createServer().listen({port: 'abc'})",
        lambda: server().listen({'port': 'abc'}), 'ERR_SOCKET_BAD_PORT', R),
    Row('listen-port-bool', 'net.createServer().listen({port: true})',
        lambda: server().listen({'port': True}), 'ERR_INVALID_ARG_VALUE', T),
    Row('listen-host-number', 'net.createServer().listen({port: 0, host: 5})',
        lambda: server().listen({'port': 0, 'host': 5}), 'ERR_INVALID_ARG_TYPE', T),
    Row('listen-signal', "net.createServer().listen({port: 0, signal: 'x'})",
        lambda: server().listen({'port': 0, 'signal': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    Row('listen-path-number', 'net.createServer().listen({path: 5})',
        lambda: server().listen({'path': 5}), 'ERR_INVALID_ARG_VALUE', T),
    Row('listen-bool', 'net.createServer().listen(true)',
        lambda: server().listen(True), 'ERR_INVALID_ARG_VALUE', T),
    Row('listen-fd-negative', 'net.createServer().listen({fd: -1})',
        lambda: server().listen({'fd': -1}), 'ERR_INVALID_ARG_VALUE', T),
    Row('listen-handle-junk', 'net.createServer().listen({handle: {}})',
        lambda: server().listen({'handle': {}}), 'ERR_INVALID_ARG_VALUE', T),
    Row('get-connections-number', 'net.createServer().getConnections(5)',
        lambda: server().get_connections(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('server-close-number', 'net.createServer().close(5)',
        lambda: server().close(5), None),
    Row('max-connections-word', "net.createServer().maxConnections = 'x'",
        lambda: setattr(server(), 'max_connections', 'x'), 'ERR_INVALID_ARG_TYPE', T,
        node='ok', why='Node 20 stores anything; gnet validates the setter (Node 21+ does too)'),
    Row('max-connections-negative', 'net.createServer().maxConnections = -1',
        lambda: setattr(server(), 'max_connections', -1), 'ERR_OUT_OF_RANGE', R,
        node='ok', why='Node 20 stores anything; gnet validates the setter (Node 21+ does too)'),
    # -- module functions ---------------------------------------------------------------------------
    Row('is-ip-number', 'net.isIP(5)', lambda: gnet.is_ip(5), None),
    Row('default-auto-select-word', "net.setDefaultAutoSelectFamily('x')",
        lambda: gnet.set_default_auto_select_family('x'), 'ERR_INVALID_ARG_TYPE', T),
    Row('default-attempt-timeout-zero', 'net.setDefaultAutoSelectFamilyAttemptTimeout(0)',
        lambda: gnet.set_default_auto_select_family_attempt_timeout(0), 'ERR_OUT_OF_RANGE', R),
    Row('default-attempt-timeout-negative', 'net.setDefaultAutoSelectFamilyAttemptTimeout(-10)',
        lambda: gnet.set_default_auto_select_family_attempt_timeout(-10), 'ERR_OUT_OF_RANGE', R),
    Row('default-attempt-timeout-fraction', 'net.setDefaultAutoSelectFamilyAttemptTimeout(1.5)',
        lambda: gnet.set_default_auto_select_family_attempt_timeout(1.5), 'ERR_OUT_OF_RANGE', R),
    Row('default-attempt-timeout-null', 'net.setDefaultAutoSelectFamilyAttemptTimeout(null)',
        lambda: gnet.set_default_auto_select_family_attempt_timeout(None), 'ERR_INVALID_ARG_TYPE', T),
    Row('default-auto-select-null', 'net.setDefaultAutoSelectFamily(null)',
        lambda: gnet.set_default_auto_select_family(None), 'ERR_INVALID_ARG_TYPE', T),
    Row('default-attempt-timeout-word', "net.setDefaultAutoSelectFamilyAttemptTimeout('x')",
        lambda: gnet.set_default_auto_select_family_attempt_timeout('x'), 'ERR_INVALID_ARG_TYPE', T),
    # -- BlockList --------------------------------------------------------------------------------------
    Row('blocklist-add-address-number', 'new net.BlockList().addAddress(5)',
        lambda: blocklist().add_address(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('blocklist-add-address-family', "new net.BlockList().addAddress('1.2.3.4', 'ipv5')",
        lambda: blocklist().add_address('1.2.3.4', 'ipv5'), 'ERR_INVALID_ARG_VALUE', T),
    Row('blocklist-add-address-bad', "new net.BlockList().addAddress('bad')",
        lambda: blocklist().add_address('bad'), 'ERR_INVALID_ADDRESS', E),
    Row('blocklist-add-range-number', "new net.BlockList().addRange('1.2.3.4', 5)",
        lambda: blocklist().add_range('1.2.3.4', 5), 'ERR_INVALID_ARG_TYPE', T),
    Row('blocklist-add-range-reversed', "new net.BlockList().addRange('1.2.3.5', '1.2.3.4')",
        lambda: blocklist().add_range('1.2.3.5', '1.2.3.4'), 'ERR_INVALID_ARG_VALUE', T),
    Row('blocklist-add-range-bad', "new net.BlockList().addRange('1.2.3.4', 'zz')",
        lambda: blocklist().add_range('1.2.3.4', 'zz'), 'ERR_INVALID_ADDRESS', E),
    Row('blocklist-add-subnet-33', "new net.BlockList().addSubnet('1.2.3.4', 33)",
        lambda: blocklist().add_subnet('1.2.3.4', 33), 'ERR_OUT_OF_RANGE', R),
    Row('blocklist-add-subnet-v6-129', "new net.BlockList().addSubnet('::1', 129, 'ipv6')",
        lambda: blocklist().add_subnet('::1', 129, 'ipv6'), 'ERR_OUT_OF_RANGE', R),
    Row('blocklist-add-subnet-word', "new net.BlockList().addSubnet('1.2.3.4', 'x')",
        lambda: blocklist().add_subnet('1.2.3.4', 'x'), 'ERR_INVALID_ARG_TYPE', T),
    Row('blocklist-add-subnet-negative', "new net.BlockList().addSubnet('1.2.3.4', -1)",
        lambda: blocklist().add_subnet('1.2.3.4', -1), 'ERR_OUT_OF_RANGE', R),
    Row('blocklist-check-number', 'new net.BlockList().check(5)',
        lambda: blocklist().check(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('blocklist-check-family', "new net.BlockList().check('1.2.3.4', 'ipv7')",
        lambda: blocklist().check('1.2.3.4', 'ipv7'), None),
    Row('blocklist-check-bad-address', "new net.BlockList().check('bad')",
        lambda: blocklist().check('bad'), None),
    # -- SocketAddress ---------------------------------------------------------------------------------
    Row('socketaddress-number', 'new net.SocketAddress(5)',
        lambda: gnet.SocketAddress(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('socketaddress-address-number', 'new net.SocketAddress({address: 5})',
        lambda: gnet.SocketAddress({'address': 5}), 'ERR_INVALID_ARG_TYPE', T),
    Row('socketaddress-address-bad', "new net.SocketAddress({address: 'zz'})",
        lambda: gnet.SocketAddress({'address': 'zz'}), 'ERR_INVALID_ADDRESS', E),
    Row('socketaddress-port-70000', 'new net.SocketAddress({port: 70000})',
        lambda: gnet.SocketAddress({'port': 70000}), 'ERR_SOCKET_BAD_PORT', R),
    Row('socketaddress-port-word', "new net.SocketAddress({port: 'x'})",
        lambda: gnet.SocketAddress({'port': 'x'}), 'ERR_SOCKET_BAD_PORT', R),
    Row('socketaddress-family', "new net.SocketAddress({family: 'ipv5'})",
        lambda: gnet.SocketAddress({'family': 'ipv5'}), 'ERR_INVALID_ARG_VALUE', T),
    Row('socketaddress-flowlabel-negative', 'new net.SocketAddress({flowlabel: -1})',
        lambda: gnet.SocketAddress({'flowlabel': -1}), 'ERR_OUT_OF_RANGE', R),
    Row('socketaddress-flowlabel-word', "new net.SocketAddress({flowlabel: 'x'})",
        lambda: gnet.SocketAddress({'flowlabel': 'x'}), 'ERR_INVALID_ARG_TYPE', T),
    # -- timers ------------------------------------------------------------------------------------------
    Row('set-timeout-not-callable', "setTimeout('x')",
        lambda: gnet.set_timeout('x'), 'ERR_INVALID_ARG_TYPE', T),
    Row('set-interval-none', 'setInterval(null)',
        lambda: gnet.set_interval(None), 'ERR_INVALID_ARG_TYPE', T),
    Row('set-immediate-number', 'setImmediate(5)',
        lambda: gnet.set_immediate(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('clear-timeout-junk', "clearTimeout('junk')", lambda: gnet.clear_timeout('junk'), None),
    # -- EventEmitter ------------------------------------------------------------------------------------
    Row('emitter-on-number', "new EventEmitter().on('x', 5)",
        lambda: emitter().on('x', 5), 'ERR_INVALID_ARG_TYPE', T),
    Row('emitter-once-none', "new EventEmitter().once('x', null)",
        lambda: emitter().once('x', None), 'ERR_INVALID_ARG_TYPE', T),
    Row('emitter-prepend-object', "new EventEmitter().prependListener('x', {})",
        lambda: emitter().prepend_listener('x', {}), 'ERR_INVALID_ARG_TYPE', T),
    Row('emitter-prepend-once-number', "new EventEmitter().prependOnceListener('x', 5)",
        lambda: emitter().prepend_once_listener('x', 5), 'ERR_INVALID_ARG_TYPE', T),
    Row('emitter-remove-number', "new EventEmitter().removeListener('x', 5)",
        lambda: emitter().remove_listener('x', 5), 'ERR_INVALID_ARG_TYPE', T),
    Row('emitter-off-number', "new EventEmitter().off('x', 5)",
        lambda: emitter().off('x', 5), 'ERR_INVALID_ARG_TYPE', T),
    Row('emitter-error-unhandled', "new EventEmitter().emit('error', 'str')",
        lambda: emitter().emit('error', 'str'), 'ERR_UNHANDLED_ERROR', E),
    Row('emitter-error-no-argument', "new EventEmitter().emit('error')",
        lambda: emitter().emit('error'), 'ERR_UNHANDLED_ERROR', E),
    # -- streams ---------------------------------------------------------------------------------------------
    Row('writable-write-number', 'new Writable({write(c, e, cb) { cb(); }}).write(5)',
        lambda: writable().write(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('writable-write-null', 'new Writable({write(c, e, cb) { cb(); }}).write(null)',
        lambda: writable().write(None), 'ERR_STREAM_NULL_VALUES', T),
    Row('writable-end-number', 'new Writable({write(c, e, cb) { cb(); }}).end(5)',
        lambda: writable().end(5), 'ERR_INVALID_ARG_TYPE', T),
    Row('writable-hwm-negative', 'new Writable({highWaterMark: -1})',
        lambda: gnet.Writable(high_water_mark=-1), 'ERR_INVALID_ARG_VALUE', T),
    Row('writable-hwm-word', "new Writable({highWaterMark: 'x'})",
        lambda: gnet.Writable(high_water_mark='x'), 'ERR_INVALID_ARG_VALUE', T),
    Row('readable-hwm-fraction', 'new Readable({highWaterMark: 1.5})',
        lambda: gnet.Readable(high_water_mark=1.5), 'ERR_INVALID_ARG_VALUE', T),
    Row('readable-set-encoding', "new Readable({read() {}}).setEncoding('bogus')",
        lambda: readable().set_encoding('bogus'), 'ERR_UNKNOWN_ENCODING', T),
    Row('writable-default-encoding', "new Writable({write(c, e, cb) { cb(); }}).setDefaultEncoding('bogus')",
        lambda: writable().set_default_encoding('bogus'), 'ERR_UNKNOWN_ENCODING', T),
    Row('writable-hook-number', 'new Writable({write: 5})',
        lambda: gnet.Writable(write=5), 'ERR_INVALID_ARG_TYPE', T,
        node='ok', why='Node keeps a non-function hook and fails at the first write'),
    Row('pipeline-no-callback', 'pipeline(new Readable({read(){}}), new PassThrough())',
        lambda: gnet.pipeline(readable(), gnet.PassThrough()), 'ERR_INVALID_ARG_TYPE', T),
    Row('pipeline-one-stream', 'pipeline(new Readable({read(){}}), () => {})',
        lambda: gnet.pipeline(readable(), noop), 'ERR_MISSING_ARGS', T),
    Row('pipeline-not-a-stream', 'pipeline(new Readable({read(){}}), 5, () => {})',
        lambda: gnet.pipeline(readable(), 5, noop), 'ERR_INVALID_ARG_TYPE', T),
    Row('finished-not-a-stream', 'finished(5, () => {})',
        lambda: gnet.finished(5, noop), 'ERR_INVALID_ARG_TYPE', T),
    Row('finished-no-callback', 'finished(new Readable({read(){}}))',
        lambda: gnet.finished(readable()), 'ERR_INVALID_ARG_TYPE', T),
    # -- AbortSignal -------------------------------------------------------------------------------------------
    Row('abort-signal-timeout-negative', 'AbortSignal.timeout(-1)',
        lambda: gnet.AbortSignal.timeout(-1), 'ERR_OUT_OF_RANGE', R),
    Row('abort-signal-timeout-word', "AbortSignal.timeout('x')",
        lambda: gnet.AbortSignal.timeout('x'), 'ERR_INVALID_ARG_TYPE', T),
    Row('abort-signal-any-number', 'AbortSignal.any(5)',
        lambda: gnet.AbortSignal.any(5), 'ERR_INVALID_ARG_TYPE', T),
]


# -- numeric options and arguments: NaN, +-Infinity, a string, None, huge ---------------------------
#: every numeric option and argument is tried with each: (id, Python value, JS spelling).  None
#: is JS undefined (API.md section 2); 10 ** 400 is beyond a double, so Infinity to JS.
ODD_NUMBERS = [('nan', float('nan'), 'NaN'), ('inf', float('inf'), 'Infinity'),
               ('-inf', float('-inf'), '-Infinity'), ('str', 'x', "'x'"), ('none', None, 'undefined'),
               ('huge', 2 ** 31 * 1000, '2 ** 31 * 1000'), ('bigint', 10 ** 400, '1e400')]
OK, SKIP = None, 'skip'
OOR, TYPE = ('ERR_OUT_OF_RANGE', R), ('ERR_INVALID_ARG_TYPE', T)
VALUE, PORT = ('ERR_INVALID_ARG_VALUE', T), ('ERR_SOCKET_BAD_PORT', R)
NON_FINITE = ('nan', 'inf', '-inf', 'bigint')
NODE_20_STORES = 'Node 20 stores anything; gnet validates the setter (validateInteger)'


def _all(outcome, **others):
    """An outcome per ODD_NUMBERS id: ``outcome`` unless named (``minus_inf`` is '-inf')."""
    table = {vid: outcome for vid, _, _ in ODD_NUMBERS}
    table.update({key.replace('minus_', '-'): value for key, value in others.items()})
    return table


def _except(table, ids, outcome):
    return dict(table, **{vid: outcome for vid in ids})


#: (name, Node call with V for the value, gnet call, gnet's outcome per value,
#:  node's where gnet deliberately differs or None, why)
NUMERIC = [
    ('create-server-keep-alive-delay', 'net.createServer({keepAliveInitialDelay: V})',
     lambda v: gnet.create_server({'keepAliveInitialDelay': v}), _all(OK, str=TYPE), None, ''),
    ('socket-keep-alive-delay', 'new net.Socket({keepAliveInitialDelay: V})',
     lambda v: gnet.Socket({'keepAliveInitialDelay': v}), _all(OK, str=TYPE), None, ''),
    ('create-server-hwm', 'net.createServer({highWaterMark: V})',
     lambda v: gnet.create_server({'highWaterMark': v}), _except(_all(OK, str=TYPE), NON_FINITE, OOR),
     _all(OK, str=TYPE), 'Node 20 takes any number here, then throws in every connection'),
    ('socket-hwm', 'new net.Socket({highWaterMark: V})',
     lambda v: gnet.Socket({'highWaterMark': v}), _all(VALUE, none=OK, huge=OK), None, ''),
    ('socket-readable-hwm', 'new net.Socket({readableHighWaterMark: V})',
     lambda v: gnet.Socket({'readableHighWaterMark': v}), _all(VALUE, none=OK, huge=OK), None, ''),
    ('socket-writable-hwm', 'new net.Socket({writableHighWaterMark: V})',
     lambda v: gnet.Socket({'writableHighWaterMark': v}), _all(VALUE, none=OK, huge=OK), None, ''),
    ('set-keep-alive-delay', 'new net.Socket().setKeepAlive(true, V)',
     lambda v: sock().set_keep_alive(True, v), _all(OK), None, ''),
    ('set-timeout-odd', 'new net.Socket().setTimeout(V)',
     lambda v: sock().set_timeout(v), _all(OOR, str=TYPE, none=TYPE, huge=OK), None, ''),
    ('connect-timeout-odd', 'net.connect({port: 80, timeout: V})',
     lambda v: gnet.connect({'port': 80, 'timeout': v}),
     _all(OOR, nan=OK, str=TYPE, none=OK, huge=OK), None, ''),
    ('connect-port-odd', 'net.connect({port: V})',
     lambda v: gnet.connect({'port': v}), _all(PORT, none=('ERR_MISSING_ARGS', T)), None, ''),
    ('connect-local-port-odd', 'net.connect({port: 80, localPort: V})',
     lambda v: gnet.connect({'port': 80, 'localPort': v}), _all(PORT, str=TYPE, none=OK),
     _all(OK, str=TYPE), 'Node 20 checks only the type, then fails to bind'),
    ('connect-hints-odd', 'net.connect({port: 80, hints: V})',
     lambda v: gnet.connect({'port': 80, 'hints': v}), _all(OK, str=TYPE), None, ''),
    ('connect-family-odd', 'net.connect({port: 80, family: V})',
     lambda v: gnet.connect({'port': 80, 'family': v}), _all(VALUE, none=OK), None, ''),
    ('connect-attempt-timeout-odd', 'net.connect({port: 80, autoSelectFamilyAttemptTimeout: V})',
     lambda v: gnet.connect({'port': 80, 'autoSelectFamilyAttemptTimeout': v}),
     _all(OOR, str=TYPE, none=OK), None, ''),
    ('default-attempt-timeout-odd', 'net.setDefaultAutoSelectFamilyAttemptTimeout(V)',
     lambda v: gnet.set_default_auto_select_family_attempt_timeout(v), _all(OOR, str=TYPE, none=TYPE),
     None, ''),
    ('socket-fd-odd', 'new net.Socket({fd: V})',
     lambda v: gnet.Socket({'fd': v}), _all(OOR, str=TYPE, none=OK), None, ''),
    ('listen-port-odd', 'net.createServer().listen({port: V})',
     lambda v: server().listen({'port': v}), _all(PORT, none=OK), None, ''),
    ('listen-positional-odd', 'net.createServer().listen(V)',  # a string is a pipe path
     lambda v: server().listen(v), _all(PORT, str=SKIP, none=OK), None, ''),
    ('listen-backlog-odd', 'net.createServer().listen({port: 0, backlog: V})',
     lambda v: server().listen({'port': 0, 'backlog': v}), _all(OK), None, ''),
    ('listen-backlog-positional-odd', 'net.createServer().listen(0, V)',  # a string is a host
     lambda v: server().listen(0, v), _all(OK, str=SKIP), None, ''),
    ('max-connections-odd', '(s => (s.maxConnections = V, s))(net.createServer())',
     lambda v: setattr(server(), 'max_connections', v), _except(_all(OK, str=TYPE), NON_FINITE, OOR),
     _all(OK), NODE_20_STORES),
    ('socketaddress-port-odd', 'new net.SocketAddress({port: V})',
     lambda v: gnet.SocketAddress({'port': v}), _all(PORT, none=OK), None, ''),
    ('socketaddress-flowlabel-odd', 'new net.SocketAddress({flowlabel: V})',
     lambda v: gnet.SocketAddress({'flowlabel': v}), _all(OOR, str=TYPE, none=OK), None, ''),
    ('blocklist-prefix-odd', "new net.BlockList().addSubnet('1.2.3.4', V)",
     lambda v: blocklist().add_subnet('1.2.3.4', v), _all(OOR, str=TYPE, none=TYPE), None, ''),
    ('abort-signal-timeout-odd', 'AbortSignal.timeout(V)',
     lambda v: gnet.AbortSignal.timeout(v), _all(OOR, str=TYPE, none=TYPE), None, ''),
    ('max-listeners-odd', 'new EventEmitter().setMaxListeners(V)',
     lambda v: emitter().set_max_listeners(v), _all(OK, nan=OOR, minus_inf=OOR, str=TYPE, none=TYPE),
     None, ''),
    ('timer-delay-odd', 'setTimeout(() => {}, V)',
     lambda v: gnet.set_timeout(noop, v), _all(OK), None, ''),
    ('create-server-proxy-timeout', 'net.createServer({proxyProtocolTimeout: V})',
     lambda v: gnet.create_server({'proxyProtocolTimeout': v}), _all(OOR, str=TYPE, none=OK),
     _all(OK), 'a gnet extension (a number in 1..2**31-1): Node ignores the unknown option'),
]


def _numeric_rows():
    rows = []
    for name, js, call, outcomes, node_outcomes, why in NUMERIC:
        for vid, value, js_value in ODD_NUMBERS:
            outcome = outcomes[vid]
            if outcome == SKIP:
                continue
            node: Any = 'same'
            if node_outcomes is not None and node_outcomes[vid] != outcome:
                node = 'ok' if node_outcomes[vid] is None else node_outcomes[vid]
            code, js_name = outcome if outcome else (None, None)
            rows.append(Row('%s-%s' % (name, vid), js.replace('V', js_value),
                            lambda call=call, value=value: call(value), code, js_name,
                            node=node, why=why if node != 'same' else ''))
    return rows


ROWS += _numeric_rows()


def open_fds():
    return set(os.listdir('/proc/self/fd'))


def _param(row):
    marks = [pytest.mark.xfail(strict=True, reason='BUG: ' + row.bug)] if row.bug else []
    return pytest.param(row, id=row.name, marks=marks)


@pytest.mark.timeout(10)
@pytest.mark.parametrize('row', [_param(r) for r in ROWS])
def test_bad_input(row):
    before = open_fds()
    try:
        result = row.call()
    except errors.NodeError as err:
        assert row.code is not None, '%s raised %r; Node accepts it' % (row.js, err)
        assert err.code == row.code, '%s: %r' % (row.js, err)
        assert err.name == row.js_name
        assert isinstance(err, JS_CLASS[row.js_name])
        assert str(err), 'an error without a message'
    except Exception as exc:  # noqa: BLE001 - a bare Python error is what this test catches
        pytest.fail('%s raised a bare %r, not a gnet error' % (row.js, exc))
    else:
        _dispose(result)
        assert row.code is None, '%s did not raise %s' % (row.js, row.code)
    assert open_fds() == before, 'a descriptor was opened by ' + row.js


def _dispose(result):
    if isinstance(result, gnet.Socket):
        result.on('error', noop)
        result.destroy()
    elif isinstance(result, gnet.Server) and result.listening:
        result.close()


@pytest.mark.timeout(10)
def test_set_timeout_above_timeout_max_does_not_spin(monkeypatch):
    """``socket.setTimeout(2 ** 40)`` is an idle timer of 2147483647 ms in Node: it stays quiet."""
    import gevent
    fired = []
    original = gnet.Socket._timer_fired

    def counting(self):
        fired.append(1)
        return original(self)
    monkeypatch.setattr(gnet.Socket, '_timer_fired', counting)
    socket = gnet.Socket()
    try:
        socket.set_timeout(2 ** 40)
        assert socket.timeout == 2 ** 40   # Node keeps the value it was given
        gevent.sleep(0.1)
        assert len(fired) <= 1, 'the idle timer woke up %d times in 100 ms' % len(fired)
    finally:
        socket.destroy()


@pytest.mark.timeout(10)
def test_listen_twice_raises_and_opens_nothing_more():
    server = gnet.create_server()
    server.listen(0, '127.0.0.1')
    try:
        gnet.once(server, 'listening', timeout=5)
        before = open_fds()
        with pytest.raises(errors.ERR_SERVER_ALREADY_LISTEN) as caught:
            server.listen(0, '127.0.0.1')
        assert caught.value.code == 'ERR_SERVER_ALREADY_LISTEN' and caught.value.name == 'Error'
        assert open_fds() == before
    finally:
        server.close()


def test_rows_are_unique():
    names = [r.name for r in ROWS]
    assert len(names) == len(set(names))
    assert len(ROWS) >= 100


NODE_RUNNER = r"""
const net = require('net');
const { Writable, Readable, PassThrough, pipeline, finished } = require('stream');
const EventEmitter = require('events');
process.on('uncaughtException', () => {});   // asynchronous errors are not under test
const out = {};
for (const [name, js] of JSON.parse(process.argv[1])) {
  try {
    const r = eval(js);
    out[name] = null;
    if (r && typeof r.destroy === 'function') r.destroy();
    if (r instanceof net.Server) r.close();
    if (r && typeof r.unref === 'function') r.unref();
  } catch (e) {
    out[name] = [e.code, e.name];
  }
}
console.log(JSON.stringify(out));
process.exit(0);
"""


@pytest.mark.timeout(30)
@pytest.mark.skipif(NODE is None, reason='node is not installed: the table cannot be checked against it')
def test_table_matches_node():
    """node v20 throws exactly the row's code (or the row's documented node column)."""
    table = json.dumps([[r.name, r.js] for r in ROWS])
    proc = subprocess.run([NODE, '-e', NODE_RUNNER, table], capture_output=True, text=True,
                          timeout=25)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    mismatches = []
    for row in ROWS:
        expected = (None if row.code is None else [row.code, row.js_name]) if row.node == 'same' \
            else (None if row.node == 'ok' else list(row.node))
        if got[row.name] != expected:
            mismatches.append('%s: node %r, table %r' % (row.js, got[row.name], expected))
    assert not mismatches, '\n'.join(mismatches)
