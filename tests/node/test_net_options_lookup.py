"""test-net-options-lookup.js: a `lookup` option that is not a function raises
ERR_INVALID_ARG_TYPE; a function is accepted (a lookup that never answers
leaves nothing to wait for); a lookup answering address family 100 makes the
socket fail with ERR_INVALID_ADDRESS_FAMILY."""


import gnet as net


def connectThrows(common, input):
    opts = {
        'host': 'localhost',
        'port': 0,
        'lookup': input,
    }
    common.throws(lambda: net.connect(opts), code='ERR_INVALID_ARG_TYPE', name='TypeError')


def connectDoesNotThrow(input):
    opts = {
        'host': 'localhost',
        'port': 0,
        'lookup': input,
    }
    return net.connect(opts)


def test_invalid_lookup_types(common):
    for input in ['foobar', 1, {}, []]:
        connectThrows(common, input)
    common.run()


def test_lookup_never_answers(common):
    s = connectDoesNotThrow(lambda host, options, cb: None)
    try:
        common.run(timeout_s=3)  # Node exits at once
    finally:
        s.destroy()


def test_invalid_address_family(common):
    def lookup(host, options, cb):
        if options['all']:
            cb(None, [{'address': '127.0.0.1', 'family': 100}])
        else:
            cb(None, '127.0.0.1', 100)

    s = connectDoesNotThrow(lookup)
    s.on('error', common.expectsError(
        code='ERR_INVALID_ADDRESS_FAMILY',
        host='localhost',
        port=0,
        message='Invalid address family: 100 localhost:0'))
    try:
        common.run()
    finally:
        s.destroy()
