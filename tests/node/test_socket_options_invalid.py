"""test-socket-options-invalid.js: net.Socket rejects the object-mode stream
options (objectMode, readableObjectMode, writableObjectMode) with
ERR_INVALID_ARG_VALUE, a TypeError.

The message shows the value in Python terms ('Received True')."""

import re

import gnet as net


def test_socket_options_invalid(common):
    invalidKeys = [
        'objectMode',
        'readableObjectMode',
        'writableObjectMode',
    ]
    for invalidKey in invalidKeys:
        option = {invalidKey: True}
        message = "The property 'options.%s' is not supported. Received True" % invalidKey

        def make():
            socket = net.Socket(option)
            try:
                socket.connect({'port': 8080})
            finally:
                socket.destroy()  # only reached where gnet wrongly accepts the option

        common.throws(make,
                      code='ERR_INVALID_ARG_VALUE',
                      name='TypeError',
                      message=re.compile(re.escape(message)))
