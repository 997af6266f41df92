"""test-net-autoselectfamily-default.js: setDefaultAutoSelectFamily() decides
whether a connection without the autoSelectFamily option tries every
resolved address (true: falls back from a refused ::1 to 127.0.0.1) or only
the first (false: the connection fails with ::1's error).

The names resolve through Node's ``createMockedLookup`` (test/common/dns),
written out below; the attempt timeout is test/common's (ten times the
default).  Each block of the Node file is one test; each restores the
process-wide default it changed.
"""

import pytest

import gnet as net
from gnet import createConnection, createServer, setDefaultAutoSelectFamily


def createMockedLookup(*addresses):
    addresses = [{'address': address, 'family': net.isIP(address)} for address in addresses]

    def lookup(hostname, options, cb):
        if options.get('all') is True:
            net.next_tick(lambda: cb(None, addresses))
            return
        net.next_tick(lambda: cb(None, addresses[0]['address'], addresses[0]['family']))
    return lookup


@pytest.fixture(autouse=True)
def restore_default():
    saved = net.getDefaultAutoSelectFamily()
    yield
    setDefaultAutoSelectFamily(saved)


def test_default_true(common):
    autoSelectFamilyAttemptTimeout = net.getDefaultAutoSelectFamilyAttemptTimeout() * 10

    def on_ipv4_connection(socket):
        def on_data(data):
            socket.write('response-ipv4')
            socket.end()
        socket.on('data', common.mustCall(on_data))
    ipv4Server = createServer(on_ipv4_connection)

    def on_listening():
        setDefaultAutoSelectFamily(True)

        connection = createConnection({
            'host': 'example.org',
            'port': ipv4Server.address()['port'],
            'lookup': createMockedLookup('::1', '127.0.0.1'),
            'autoSelectFamilyAttemptTimeout': autoSelectFamilyAttemptTimeout,
        })

        response = []
        connection.setEncoding('utf-8')

        connection.on('data', lambda chunk: response.append(chunk))

        def on_end():
            assert ''.join(response) == 'response-ipv4'
            ipv4Server.close()
        connection.on('end', common.mustCall(on_end))

        connection.write('request')

    ipv4Server.listen(0, '127.0.0.1', common.mustCall(on_listening))
    common.run()


def test_default_false(common):
    def on_ipv4_connection(socket):
        def on_data(data):
            socket.write('response-ipv4')
            socket.end()
        socket.on('data', common.mustCall(on_data))
    ipv4Server = createServer(on_ipv4_connection)

    def on_listening():
        setDefaultAutoSelectFamily(False)

        port = ipv4Server.address()['port']

        connection = createConnection({
            'host': 'example.org',
            'port': port,
            'lookup': createMockedLookup('::1', '127.0.0.1'),
        })

        connection.on('ready', common.mustNotCall())

        def on_error(error):
            if common.hasIPv6:
                assert error.code == 'ECONNREFUSED'
                assert str(error) == 'connect ECONNREFUSED ::1:%d' % port
            elif error.code == 'EAFNOSUPPORT':
                assert str(error) == 'connect EAFNOSUPPORT ::1:%d - Local (undefined:undefined)' % port
            elif error.code == 'EUNATCH':
                assert str(error) == 'connect EUNATCH ::1:%d - Local (:::0)' % port
            else:
                assert error.code == 'EADDRNOTAVAIL'
                assert str(error) == 'connect EADDRNOTAVAIL ::1:%d - Local (:::0)' % port

            ipv4Server.close()
        connection.on('error', common.mustCall(on_error))

    ipv4Server.listen(0, '127.0.0.1', common.mustCall(on_listening))
    common.run()
