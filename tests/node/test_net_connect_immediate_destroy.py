"""test-net-connect-immediate-destroy.js: a connection destroyed in the same
turn it was started (its server closed meanwhile) emits neither 'connect'
nor 'error'."""

import gnet as net


def test_net_connect_immediate_destroy(common):
    server = net.createServer()
    server.listen(0)
    port = server.address()['port']
    socket = net.connect(port, common.localhostIPv4, common.mustNotCall())
    socket.on('error', common.mustNotCall())
    server.close()
    socket.destroy()
    common.run()
