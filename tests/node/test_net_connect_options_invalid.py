"""test-net-connect-options-invalid.js: the stream options that make no sense
for a socket (objectMode, readableObjectMode, writableObjectMode) are
refused by createConnection() with ERR_INVALID_ARG_VALUE, a TypeError
naming the property (Node's ``Received true`` is Python's ``True``)."""

import re

import gnet as net



def test_net_connect_options_invalid(common):
    invalidKeys = [
        'objectMode',
        'readableObjectMode',
        'writableObjectMode',
    ]
    for invalidKey in invalidKeys:
        option = {
            'port': 8080,
            invalidKey: True,
        }
        message = "The property 'options.%s' is not supported. Received True" % invalidKey

        def attempt(option=option):
            socket = net.createConnection(option)
            socket.destroy()  # reached only if the option was accepted: connect nowhere

        common.throws(attempt,
                      code='ERR_INVALID_ARG_VALUE',
                      name='TypeError',
                      message=re.compile(re.escape(message)))
