"""test-net-error-twice.js: a server writing 10 MiB to a client that has just
destroyed itself gets exactly one 'error' (the same error is never emitted
twice)."""

import gnet as net


def test_net_error_twice(common):
    buf = b'\x62' * (10 * 1024 * 1024)
    errs = []
    state = {'clientSocket': None, 'serverSocket': None}

    def ready():
        if state['clientSocket'] and state['serverSocket']:
            state['clientSocket'].destroy()
            state['serverSocket'].write(buf)

    def onConnection(conn):
        def on_error(err):
            errs.append(err)
            if len(errs) > 1 and errs[0] is errs[1]:
                raise AssertionError('Should not emit the same error twice')
        conn.on('error', on_error)
        conn.on('close', lambda had_error: server.unref())
        state['serverSocket'] = conn
        ready()

    def on_listening():
        client = net.connect({'port': server.address()['port']})

        def on_connect():
            state['clientSocket'] = client
            ready()
        client.on('connect', on_connect)

    server = net.createServer(onConnection).listen(0, on_listening)

    def at_exit():
        print(errs)
        assert len(errs) == 1
    common.on_exit(at_exit)
    try:
        common.run()
    finally:
        server.close()  # Node's process exits with the unref'd server still listening
