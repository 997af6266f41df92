"""test-stream-base-typechecking.js: writing a string with the encoding
'buffer' to a connected socket throws ERR_INVALID_ARG_TYPE ('Second argument
must be a buffer')."""

import gnet as net


def test_stream_base_typechecking(common):
    def on_listening():
        def on_connect():
            try:
                common.throws(lambda: client.write('broken', 'buffer'),
                              name='TypeError',
                              code='ERR_INVALID_ARG_TYPE',
                              message='Second argument must be a buffer')
            finally:  # also when the check fails, so that nothing is left open
                client.destroy()
                server.close()
        client = net.connect(server.address()['port'], common.mustCall(on_connect))

    server = net.createServer().listen(0, common.mustCall(on_listening))
    common.run()
