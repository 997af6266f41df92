"""test-net-listen-after-destroying-stdin.js: once stdin is destroyed, a server
still listens, accepts, ends its connection and closes.

Node's process.stdin.destroy() has no direct Python twin (pytest owns
sys.stdin); here descriptor 0 itself is closed for the scenario (and restored
after), so the server and its sockets may even be given descriptor 0."""

import os

import gnet as net


def test_net_listen_after_destroying_stdin(common):
    saved = os.dup(0)
    os.close(0)  # process.stdin.destroy()
    try:
        def on_connection(socket):
            print('accepted...', flush=True)
            socket.end(common.mustCall(lambda err=None: print('finished...', flush=True)))
            server.close(common.mustCall(lambda err=None: print('closed', flush=True)))

        server = net.createServer(common.mustCall(on_connection))

        def on_listening():
            print('listening...', flush=True)
            net.createConnection(server.address()['port'])

        server.listen(0, common.mustCall(on_listening))
        common.run()
    finally:
        os.dup2(saved, 0)
        os.close(saved)
