"""camelCase aliases: every Node name of net and events exists in both spellings."""

import pytest

import gnet
from gnet.naming import camel, snake

MODULE_NAMES = [
    ('create_server', 'createServer'), ('create_connection', 'createConnection'),
    ('is_ip', 'isIP'), ('is_ipv4', 'isIPv4'), ('is_ipv6', 'isIPv6'),
    ('get_default_auto_select_family', 'getDefaultAutoSelectFamily'),
    ('set_default_auto_select_family', 'setDefaultAutoSelectFamily'),
    ('get_default_auto_select_family_attempt_timeout', 'getDefaultAutoSelectFamilyAttemptTimeout'),
    ('set_default_auto_select_family_attempt_timeout', 'setDefaultAutoSelectFamilyAttemptTimeout'),
    ('next_tick', 'nextTick'), ('set_immediate', 'setImmediate'),
    ('clear_immediate', 'clearImmediate'), ('set_timeout', 'setTimeout'),
    ('clear_timeout', 'clearTimeout'), ('set_interval', 'setInterval'),
    ('clear_interval', 'clearInterval'),
]

SOCKET_NAMES = [
    ('set_encoding', 'setEncoding'), ('set_keep_alive', 'setKeepAlive'),
    ('set_no_delay', 'setNoDelay'), ('set_timeout', 'setTimeout'),
    ('reset_and_destroy', 'resetAndDestroy'), ('destroy_soon', 'destroySoon'),
    ('bytes_read', 'bytesRead'), ('bytes_written', 'bytesWritten'),
    ('buffer_size', 'bufferSize'), ('ready_state', 'readyState'),
    ('remote_address', 'remoteAddress'), ('remote_port', 'remotePort'),
    ('remote_family', 'remoteFamily'), ('local_address', 'localAddress'),
    ('local_port', 'localPort'), ('local_family', 'localFamily'),
    ('writable_length', 'writableLength'), ('writable_high_water_mark', 'writableHighWaterMark'),
    ('writable_need_drain', 'writableNeedDrain'), ('writable_ended', 'writableEnded'),
    ('writable_finished', 'writableFinished'), ('writable_corked', 'writableCorked'),
    ('readable_flowing', 'readableFlowing'), ('readable_length', 'readableLength'),
    ('readable_high_water_mark', 'readableHighWaterMark'), ('readable_ended', 'readableEnded'),
    ('is_paused', 'isPaused'), ('set_default_encoding', 'setDefaultEncoding'),
    ('listener_count', 'listenerCount'), ('remove_listener', 'removeListener'),
    ('add_listener', 'addListener'), ('remove_all_listeners', 'removeAllListeners'),
    ('prepend_listener', 'prependListener'), ('prepend_once_listener', 'prependOnceListener'),
    ('event_names', 'eventNames'), ('raw_listeners', 'rawListeners'),
    ('set_max_listeners', 'setMaxListeners'), ('get_max_listeners', 'getMaxListeners'),
]

SERVER_NAMES = [('get_connections', 'getConnections'), ('max_connections', 'maxConnections')]

BLOCKLIST_NAMES = [('add_address', 'addAddress'), ('add_range', 'addRange'),
                   ('add_subnet', 'addSubnet'), ('is_block_list', 'isBlockList'),
                   ('to_json', 'toJSON'), ('from_json', 'fromJSON')]


@pytest.mark.parametrize('snake_name,camel_name', MODULE_NAMES)
def test_module_names(snake_name, camel_name):
    assert getattr(gnet, camel_name) is getattr(gnet, snake_name)
    assert camel_name in gnet.__all__ and snake_name in gnet.__all__


def test_connect_alias():
    assert gnet.connect is gnet.create_connection


@pytest.mark.parametrize('cls,table', [(gnet.Socket, SOCKET_NAMES), (gnet.Server, SERVER_NAMES),
                                       (gnet.BlockList, BLOCKLIST_NAMES)],
                         ids=['Socket', 'Server', 'BlockList'])
def test_class_names(cls, table):
    for snake_name, camel_name in table:
        assert cls.__dict__.get(camel_name, getattr(cls, camel_name)) is \
            _static(cls, snake_name), camel_name


def _static(cls, name):
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    raise AttributeError(name)


def test_aliases_work_on_instances():
    sock = gnet.Socket()
    assert sock.setNoDelay(True) is sock
    assert sock.readyState == sock.ready_state == 'closed' or sock.readyState == sock.ready_state
    sock.destroy()


@pytest.mark.parametrize('snake_name,camel_name', [
    ('allow_half_open', 'allowHalfOpen'), ('ipv6_only', 'ipv6Only'),
    ('keep_alive_initial_delay', 'keepAliveInitialDelay'), ('no_delay', 'noDelay'),
    ('auto_select_family_attempt_timeout', 'autoSelectFamilyAttemptTimeout'),
    ('high_water_mark', 'highWaterMark'), ('pause_on_connect', 'pauseOnConnect'),
    ('block_list', 'blockList'), ('is_ipv4', 'isIPv4'), ('to_json', 'toJSON'),
])
def test_camel_and_snake_round_trip(snake_name, camel_name):
    assert snake(camel_name) == snake_name
    if snake_name not in ('ipv6_only',):
        assert camel(snake_name) == camel_name


def test_options_dict_in_either_spelling():
    server = gnet.create_server({'allowHalfOpen': True, 'pauseOnConnect': True, 'unknownKey': 1})
    assert server.allow_half_open is True and server.pause_on_connect is True
    server2 = gnet.create_server(allow_half_open=True)
    assert server2.allow_half_open is True
    with pytest.raises(gnet.errors.ERR_INVALID_ARG_TYPE):
        gnet.create_server({'allowHalfOpen': 'yes'})
