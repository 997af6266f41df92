"""test-net-write-after-end-nt.js: a write in 'end' after the peer's FIN
(allowHalfOpen false) returns false and calls back with EPIPE ('This socket
has been ended by the other party'); the 'error' comes on a later tick."""

import gnet as net


def test_net_write_after_end_nt(common):
    expectsError, mustCall = common.expectsError, common.mustCall

    server = net.createServer(mustCall(lambda socket: socket.end()))

    def on_listening():
        def on_connect():
            state = {'hasError': False}

            def on_error(err):
                state['hasError'] = True
                server.close()
            client.on('error', mustCall(on_error))

            def on_end():
                ret = client.write('hello', expectsError(
                    code='EPIPE',
                    message='This socket has been ended by the other party',
                    name='Error'))

                assert ret is False
                assert not state['hasError'], 'The error should be emitted in the next tick.'
            client.on('end', mustCall(on_end))
            client.end()
        client = net.connect(server.address()['port'], on_connect)

    server.listen(on_listening)
    common.run()
