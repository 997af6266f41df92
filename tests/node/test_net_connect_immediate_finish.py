"""test-net-connect-immediate-finish.js: a client ended right after connect()
whose lookup fails emits the lookup's error unchanged (code, errno,
syscall, hostname, message; no ``port`` or ``host`` added) and never
connects.

The lookup is Node's ``errorLookupMock`` (test/common/dns), written out
below.
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


def test_net_connect_immediate_finish(common):
    client = net.connect({
        'host': INVALID_HOST,
        'port': 80,  # any port: the name does not resolve
        'lookup': common.mustCall(errorLookupMock()),
    }, common.mustNotCall())

    def on_error(error):
        assert not hasattr(error, 'port')
        assert not hasattr(error, 'host')

        def rethrow():
            raise error
        common.throws(rethrow,
                      code=mockedErrorCode,
                      errno=mockedErrorCode,
                      syscall=mockedSysCall,
                      hostname=INVALID_HOST,
                      message='getaddrinfo ENOTFOUND something.invalid')
    client.once('error', common.mustCall(on_error))

    client.end()
    common.run()
