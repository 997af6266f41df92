"""test-net-end-close.js: a read-only Socket over a handle whose first read is
end-of-file emits 'end' then 'close'; resume() returns the socket.

Node builds the handle from internal bindings (a fake whose readStart reports
UV_EOF); here the handle is one end of a Python socketpair whose other end is
already closed, so its first read is EOF too."""

import socket as pysocket

import gnet as net


def test_net_end_close(common):
    handle, peer = pysocket.socketpair()
    peer.close()

    s = net.Socket({'handle': handle, 'writable': False})
    assert s is s.resume()

    events = []
    s.on('end', lambda: events.append('end'))
    s.on('close', lambda had_error=False: events.append('close'))

    def at_exit():
        assert events == ['end', 'close']
    common.on_exit(at_exit)
    common.run()
