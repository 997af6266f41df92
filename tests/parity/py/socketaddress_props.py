# SocketAddress: defaults and explicit values.
import gnet as net
from _trace import log

a = net.SocketAddress()
log('default', a.address, a.port, a.family, a.flowlabel)
b = net.SocketAddress({'address': '::1', 'family': 'ipv6', 'port': 8080, 'flowlabel': 5})
log('v6', b.address, b.port, b.family, b.flowlabel)
c = net.SocketAddress({'address': '10.1.2.3', 'port': 443})
log('v4', c.address, c.port, c.family)
