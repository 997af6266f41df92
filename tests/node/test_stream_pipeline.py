"""test-stream-pipeline.js, only its two cases that use net (the blocks
creating a net server, at lines 1175 and 1220 of Node 20's file): an echo
server that pipelines a socket into itself completes the pipeline without
error and emits 'finish' when the client ends without sending anything.

Left out: every other case of the file, which tests stream.pipeline on
in-memory streams, generators, http and promises (not net, out of scope)."""

import gnet as net
from gnet import pipeline


def _echo_pipeline_case(common):
    def on_connection(socket):
        pipeline(socket, socket, common.mustSucceed())
        socket.on('finish', common.mustCall(lambda: server.close()))

    def on_listening():
        socket = net.connect(server.address()['port'])
        socket.end()

    server = net.createServer(common.mustCall(on_connection)).listen(0, common.mustCall(on_listening))
    common.run()


def test_stream_pipeline_net_echo_finish(common):
    """The first net case (Node's line 1175)."""
    _echo_pipeline_case(common)


def test_stream_pipeline_net_echo_finish_again(common):
    """The second net case (Node's line 1220), the same scenario."""
    _echo_pipeline_case(common)
