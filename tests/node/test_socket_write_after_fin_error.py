"""test-socket-write-after-fin-error.js: with allowHalfOpen false, the server
writes back (on the immediate after its 'end') to a client that has ended:
the write callback gets EPIPE, not 'write after end'; the client receives
nothing and both sides see 'end'."""

import sys

import gnet as net


def test_socket_write_after_fin_error(common):
    state = {'serverData': '', 'gotServerEnd': False, 'clientData': '',
             'gotClientEnd': False, 'gotServerError': False}

    def on_connection(sock):
        sock.setEncoding('utf8')
        sock.on('error', lambda err: None)

        def on_data(c):
            state['serverData'] += c
        sock.on('data', on_data)

        def on_end():
            state['gotServerEnd'] = True

            def later():
                def on_written(er):
                    print('%s: %s' % (er.code, er.message), file=sys.stderr)
                    state['gotServerError'] = er
                sock.write(state['serverData'], on_written)
                sock.end()
            net.setImmediate(later)
        sock.on('end', on_end)
        server.close()

    server = net.createServer(on_connection)

    def on_listening():
        sock = net.connect(server.address()['port'])
        sock.setEncoding('utf8')

        def on_data(c):
            state['clientData'] += c
        sock.on('data', on_data)

        def on_end():
            state['gotClientEnd'] = True
        sock.on('end', on_end)

        def at_exit():
            assert state['clientData'] == ''
            assert state['serverData'] == 'hello1hello2hello3\nTHUNDERMUSCLE!'
            assert state['gotClientEnd']
            assert state['gotServerEnd']
            assert state['gotServerError']
            assert state['gotServerError'].code == 'EPIPE'
            assert state['gotServerError'].message != 'write after end'
            print('ok')
        common.on_exit(at_exit)

        sock.write('hello1')
        sock.write('hello2')
        sock.write('hello3\n')
        sock.end('THUNDERMUSCLE!')

    server.listen(0, on_listening)
    common.run()
