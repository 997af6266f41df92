# isIP / isIPv4 / isIPv6 over a table of inputs.
import json

import gnet as net
from _trace import log

inputs = ['127.0.0.1', '::1', '1.2.3', '256.0.0.1', 'fe80::1%eth0', '::ffff:1.2.3.4',
          '', 'localhost', '0.0.0.0', '2001:db8::', '1:2:3:4:5:6:7:8:9', '01.2.3.4', '::']
for value in inputs:
    log('ip', json.dumps(value), net.isIP(value), net.isIPv4(value), net.isIPv6(value))
