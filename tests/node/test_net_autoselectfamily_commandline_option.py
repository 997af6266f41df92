"""test-net-autoselectfamily-commandline-option.js: with family autoselection
off for the whole process, a connection to a name resolving to ::1 then
127.0.0.1 tries only ::1 and fails with its error, and records no attempted
addresses.

Node turns autoselection off with the ``--no-network-family-autoselection``
command-line flag (its test re-runs itself under it); gnet has no
command-line flags, and its programmatic equivalent,
``setDefaultAutoSelectFamily(false)``, stands in for the flag (restored
after the test).  The name resolves through Node's ``createMockedLookup``
(test/common/dns), written out below.
"""

import pytest

import gnet as net
from gnet import createConnection, createServer


def createMockedLookup(*addresses):
    addresses = [{'address': address, 'family': net.isIP(address)} for address in addresses]

    def lookup(hostname, options, cb):
        if options.get('all') is True:
            net.next_tick(lambda: cb(None, addresses))
            return
        net.next_tick(lambda: cb(None, addresses[0]['address'], addresses[0]['family']))
    return lookup


@pytest.fixture(autouse=True)
def no_network_family_autoselection():
    saved = net.getDefaultAutoSelectFamily()
    net.setDefaultAutoSelectFamily(False)  # --no-network-family-autoselection
    yield
    net.setDefaultAutoSelectFamily(saved)


def test_net_autoselectfamily_commandline_option(common):
    def on_ipv4_connection(socket):
        def on_data(data):
            socket.write('response-ipv4')
            socket.end()
        socket.on('data', common.mustCall(on_data))
    ipv4Server = createServer(on_ipv4_connection)

    def on_listening():
        port = ipv4Server.address()['port']

        connection = createConnection({
            'host': 'example.org',
            'port': port,
            'lookup': createMockedLookup('::1', '127.0.0.1'),
        })

        connection.on('ready', common.mustNotCall())

        def on_error(error):
            assert connection.autoSelectFamilyAttemptedAddresses is None

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
    try:
        common.run()
    finally:  # an xfail must not leave a server that keeps the next tests' loops alive
        if ipv4Server.listening:
            ipv4Server.close()
