"""test-net-listen-invalid-port.js: listen() with port 2**32 - 1, as an option
or positionally (with or without a host), raises ERR_SOCKET_BAD_PORT; a
listen(0) next to it works and closes.

Left out: Node's check of server._connectionKey (an undocumented internal
string, 'family:address:port', that gnet does not have)."""

import gnet as net

invalidPort = 0xFFFFFFFF  # -1 >>> 0


def test_net_listen_invalid_port(common):
    server = net.Server()

    def on_listening():
        server.close()
    server.listen(0, on_listening)

    common.throws(lambda: net.Server().listen({'port': invalidPort}, common.mustNotCall()),
                  code='ERR_SOCKET_BAD_PORT', name='RangeError')
    common.throws(lambda: net.Server().listen(invalidPort, common.mustNotCall()),
                  code='ERR_SOCKET_BAD_PORT', name='RangeError')
    common.throws(lambda: net.Server().listen(invalidPort, '0.0.0.0', common.mustNotCall()),
                  code='ERR_SOCKET_BAD_PORT', name='RangeError')
    common.run()
