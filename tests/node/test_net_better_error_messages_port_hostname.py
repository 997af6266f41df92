"""test-net-better-error-messages-port-hostname.js: when the lookup of the host
fails, the connection's 'error' is the lookup's error as it was (code,
errno, syscall, hostname, message) and gains no ``port`` or ``host``.

The lookup is Node's ``errorLookupMock`` (test/common/dns), written out
below: it answers a plain Error with the getaddrinfo properties.
"""

import gnet as net

INVALID_HOST = 'something.invalid'  # test/common/internet's addresses.INVALID_HOST
mockedErrorCode = 'ENOTFOUND'
mockedSysCall = 'getaddrinfo'


def errorLookupMock(code=mockedErrorCode, syscall=mockedSysCall):
    def lookupWithError(hostname, dnsopts, cb):
        err = Exception('%s %s %s' % (syscall, code, hostname))
        err.code = code
        err.errno = code
        err.syscall = syscall
        err.hostname = hostname
        cb(err)
    return lookupWithError


def test_net_better_error_messages_port_hostname(common):
    c = net.createConnection({
        'port': 0,
        'host': INVALID_HOST,
        'lookup': common.mustCall(errorLookupMock()),
    })

    c.on('connect', common.mustNotCall())

    def on_error(error):
        assert not hasattr(error, 'port')
        assert not hasattr(error, 'host')

        def rethrow():
            raise error
        common.throws(rethrow,
                      errno=mockedErrorCode,
                      code=mockedErrorCode,
                      name='Error',
                      message='getaddrinfo ENOTFOUND something.invalid',
                      hostname=INVALID_HOST,
                      syscall='getaddrinfo')
    c.on('error', common.mustCall(on_error))
    common.run()
