"""test-net-write-arguments.js: write(None) throws ERR_STREAM_NULL_VALUES and
a chunk that is not a string or bytes-like throws ERR_INVALID_ARG_TYPE, both
synchronously and without an 'error'.

Differences: net.Stream (a legacy alias gnet does not provide) is net.Socket;
JS's ``undefined`` is None in Python, which is the null case, so it is not
repeated among the wrong types; the message names the accepted types and
describes the value in Python terms (``str or bytes or bytearray or
memoryview``, ``Received type bool (True)``) where Node's names JS ones."""

import math

import gnet as net


def invalidArgTypeHelper(value):
    """Node's common.invalidArgTypeHelper, for Python values."""
    if value is None:
        return ' Received None'
    if isinstance(value, (bool, int, float, str)):
        return ' Received type %s (%r)' % (type(value).__name__, value)
    return ' Received an instance of %s' % type(value).__name__


def test_net_write_arguments(common):
    socket = net.Socket({'highWaterMark': 0})

    socket.on('error', common.mustNotCall())
    common.throws(lambda: socket.write(None),
                  code='ERR_STREAM_NULL_VALUES',
                  name='TypeError',
                  message='May not write null values to stream')

    for value in [True, False, 1, 1.0, math.inf, -math.inf, [], {}]:
        socket = net.Socket({'highWaterMark': 0})
        common.throws(lambda: socket.write(value),
                      code='ERR_INVALID_ARG_TYPE',
                      name='TypeError',
                      message='The "chunk" argument must be of type str or bytes or bytearray '
                              'or memoryview.' + invalidArgTypeHelper(value))
