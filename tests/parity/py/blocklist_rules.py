# BlockList: rules as text and check() answers for IPv4 and IPv6.
import gnet as net
from _trace import log

bl = net.BlockList()
bl.addAddress('10.0.0.1')
bl.addRange('10.0.1.1', '10.0.1.9')
bl.addSubnet('192.168.0.0', 16)
bl.addAddress('::1', 'ipv6')
bl.addSubnet('2001:db8::', 32, 'ipv6')
for rule in bl.rules:
    log('rule', rule)
probes = [('10.0.0.1', 'ipv4'), ('10.0.0.2', 'ipv4'), ('10.0.1.5', 'ipv4'),
          ('10.0.1.10', 'ipv4'), ('192.168.77.1', 'ipv4'), ('::1', 'ipv6'), ('::2', 'ipv6'),
          ('2001:db8:1::1', 'ipv6'), ('2001:db9::1', 'ipv6'), ('::ffff:10.0.0.1', 'ipv6')]
for address, family in probes:
    log('check', address, bl.check(address, family))
