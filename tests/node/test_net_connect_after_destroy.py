"""test-net-connect-after-destroy.js: destroying a socket right after
createConnection() to a host name (its lookup still pending) is harmless:
nothing is raised or emitted later and the program ends.

Node connects to google.com:80; the port uses ``localhost`` and a free
port, so that the lookup stays on this host.
"""

import gnet as net


def test_net_connect_after_destroy(common):
    c = net.createConnection(common.PORT, 'localhost')
    c.destroy()
    common.run()
