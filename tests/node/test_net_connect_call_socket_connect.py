"""test-net-connect-call-socket-connect.js: net.connect() goes through
Socket.prototype.connect (a replacement of that method sees exactly one
call), and the connection then works."""

import gnet as net


def test_net_connect_call_socket_connect(common, monkeypatch):
    Socket = net.Socket

    orig = Socket.connect

    def connect(self, *args, **kwargs):
        return orig(self, *args, **kwargs)
    monkeypatch.setattr(Socket, 'connect', common.mustCall(connect))

    server = net.createServer()

    def on_listening():
        port = server.address()['port']
        client = net.connect({'port': port}, common.mustCall(lambda: client.end()))
        client.on('end', common.mustCall(lambda: server.close()))

    server.listen(common.mustCall(on_listening))
    common.run()
