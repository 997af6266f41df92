"""test-net-autoselectfamily.js: with autoSelectFamily, a connection to a name
that resolves to several addresses tries them interleaved (IPv6, IPv4, ...),
records the attempts in autoSelectFamilyAttemptedAddresses, and uses the
first that answers; when all fail, the error is an AggregateError of each
attempt's error; without autoSelectFamily only the first address is tried.

The names resolve through a mocked lookup (Node's ``createMockedLookup`` of
test/common/dns, written out below).  Node's test/common sets the default
attempt timeout to ten times gnet's (and Node's) default, and the test uses
that value: so does this port.  The public addresses of the second block
are replaced by loopback ones (see V6_A below): ports stay on this host.  Each block of the Node file is one test.
"""

import gnet as net
from gnet import createConnection, createServer


# Node's second block resolves to two public IPv6 and two public IPv4
# addresses before the loopback ones; loopback stand-ins that refuse at once
# keep the scenario (the order of attempts is what is checked) on this host.
V6_A, V6_B = '::ffff:127.0.0.2', '::ffff:127.0.0.3'  # were 2606:4700::6810:85e5 / 84e5
V4_A, V4_B = '127.0.0.2', '127.0.0.3'                # were 104.20.22.46 / 104.20.23.46


def createMockedLookup(*addresses):
    addresses = [{'address': address, 'family': net.isIP(address)} for address in addresses]

    def lookup(hostname, options, cb):
        if options.get('all') is True:
            net.next_tick(lambda: cb(None, addresses))
            return
        net.next_tick(lambda: cb(None, addresses[0]['address'], addresses[0]['family']))
    return lookup


def attempt_timeout():
    # test/common's defaultAutoSelectFamilyAttemptTimeout
    return net.getDefaultAutoSelectFamilyAttemptTimeout() * 10


def test_ipv6_refused_then_ipv4(common):
    autoSelectFamilyAttemptTimeout = attempt_timeout()

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
            'autoSelectFamily': True,
            'autoSelectFamilyAttemptTimeout': autoSelectFamilyAttemptTimeout,
        })

        response = []
        connection.setEncoding('utf-8')

        def on_ready():
            assert connection.autoSelectFamilyAttemptedAddresses == [
                '::1:%d' % port, '127.0.0.1:%d' % port]
        connection.on('ready', common.mustCall(on_ready))

        connection.on('data', lambda chunk: response.append(chunk))

        def on_end():
            assert ''.join(response) == 'response-ipv4'
            ipv4Server.close()
        connection.on('end', common.mustCall(on_end))

        connection.write('request')

    ipv4Server.listen(0, '127.0.0.1', common.mustCall(on_listening))
    common.run()


def test_interleaved_attempts(common):
    autoSelectFamilyAttemptTimeout = attempt_timeout()

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
            'lookup': createMockedLookup(
                V6_A, V6_B, '::1',
                V4_A, V4_B, '127.0.0.1',
            ),
            'autoSelectFamily': True,
            'autoSelectFamilyAttemptTimeout': autoSelectFamilyAttemptTimeout,
        })

        response = []
        connection.setEncoding('utf-8')

        def on_ready():
            assert connection.autoSelectFamilyAttemptedAddresses == [
                '%s:%d' % (V6_A, port),
                '%s:%d' % (V4_A, port),
                '%s:%d' % (V6_B, port),
                '%s:%d' % (V4_B, port),
                '::1:%d' % port,
                '127.0.0.1:%d' % port,
            ]
        connection.on('ready', common.mustCall(on_ready))

        connection.on('data', lambda chunk: response.append(chunk))

        def on_end():
            assert ''.join(response) == 'response-ipv4'
            ipv4Server.close()
        connection.on('end', common.mustCall(on_end))

        connection.write('request')

    ipv4Server.listen(0, '127.0.0.1', common.mustCall(on_listening))
    common.run()


def test_ipv6_answers_first(common):
    if not common.hasIPv6:
        return
    autoSelectFamilyAttemptTimeout = attempt_timeout()

    def on_ipv4_connection(socket):
        def on_data(data):
            socket.write('response-ipv4')
            socket.end()
        socket.on('data', common.mustNotCall(on_data))
    ipv4Server = createServer(on_ipv4_connection)

    def on_ipv6_connection(socket):
        def on_data(data):
            socket.write('response-ipv6')
            socket.end()
        socket.on('data', common.mustCall(on_data))
    ipv6Server = createServer(on_ipv6_connection)

    def on_ipv4_listening():
        port = ipv4Server.address()['port']

        def on_ipv6_listening():
            connection = createConnection({
                'host': 'example.org',
                'port': port,
                'lookup': createMockedLookup('::1', '127.0.0.1'),
                'autoSelectFamily': True,
                'autoSelectFamilyAttemptTimeout': autoSelectFamilyAttemptTimeout,
            })

            response = []
            connection.setEncoding('utf-8')

            def on_ready():
                assert connection.autoSelectFamilyAttemptedAddresses == ['::1:%d' % port]
            connection.on('ready', common.mustCall(on_ready))

            connection.on('data', lambda chunk: response.append(chunk))

            def on_end():
                assert ''.join(response) == 'response-ipv6'
                ipv4Server.close()
                ipv6Server.close()
            connection.on('end', common.mustCall(on_end))

            connection.write('request')

        ipv6Server.listen(port, '::1', common.mustCall(on_ipv6_listening))

    ipv4Server.listen(0, '127.0.0.1', common.mustCall(on_ipv4_listening))
    common.run()


def test_all_attempts_refused(common):
    autoSelectFamilyAttemptTimeout = attempt_timeout()

    connection = createConnection({
        'host': 'example.org',
        'port': 10,
        'lookup': createMockedLookup('::1', '127.0.0.1'),
        'autoSelectFamily': True,
        'autoSelectFamilyAttemptTimeout': autoSelectFamilyAttemptTimeout,
    })

    connection.on('ready', common.mustNotCall())

    def on_error(error):
        assert connection.autoSelectFamilyAttemptedAddresses == ['::1:10', '127.0.0.1:10']
        assert error.name == 'AggregateError'  # error.constructor.name
        assert len(error.errors) == 2

        messages = [str(e) for e in error.errors]
        assert 'connect ECONNREFUSED 127.0.0.1:10' in messages

        if common.hasIPv6:
            assert 'connect ECONNREFUSED ::1:10' in messages
    connection.on('error', common.mustCall(on_error))
    common.run()


def test_without_auto_select_family(common):
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
            'autoSelectFamily': False,
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
