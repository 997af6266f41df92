"""test-net-pause-resume-connecting.js: pause() and resume() called while a
client is still connecting take effect once it connects: the clients left
resumed get their 'data', the ones left paused get none (until they are
resumed with no 'data' listener 100 ms later)."""

import gnet as net


def test_net_pause_resume_connecting(common):
    counts = {'connections': 0, 'dataEvents': 0}

    def on_connection(conn):
        counts['connections'] += 1
        conn.end('This was the year he fell to pieces.')
        if counts['connections'] == 5:
            server.close()

    server = net.createServer(on_connection)

    def on_listening():
        port = server.address()['port']

        def onDataOk(data):
            counts['dataEvents'] += 1

        def scheduleTearDown(conn):
            def tear_down():
                conn.removeAllListeners('data')
                conn.resume()
            net.setTimeout(tear_down, 100)

        # Client 1
        conn = net.createConnection(port, 'localhost')
        conn.resume()
        conn.on('data', onDataOk)

        # Client 2
        conn = net.createConnection(port, 'localhost')
        conn.pause()
        conn.resume()
        conn.on('data', onDataOk)

        # Client 3
        conn = net.createConnection(port, 'localhost')
        conn.pause()
        conn.on('data', common.mustNotCall())
        scheduleTearDown(conn)

        # Client 4
        conn = net.createConnection(port, 'localhost')
        conn.resume()
        conn.pause()
        conn.resume()
        conn.on('data', onDataOk)

        # Client 5
        conn = net.createConnection(port, 'localhost')
        conn.resume()
        conn.resume()
        conn.pause()
        conn.on('data', common.mustNotCall())
        scheduleTearDown(conn)

    server.listen(0, on_listening)

    def at_exit():
        assert counts['connections'] == 5
        assert counts['dataEvents'] == 3
    common.on_exit(at_exit)
    common.run()
