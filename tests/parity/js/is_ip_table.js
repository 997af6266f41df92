// isIP / isIPv4 / isIPv6 over a table of inputs.
const net = require('net');
const inputs = ['127.0.0.1', '::1', '1.2.3', '256.0.0.1', 'fe80::1%eth0', '::ffff:1.2.3.4',
  '', 'localhost', '0.0.0.0', '2001:db8::', '1:2:3:4:5:6:7:8:9', '01.2.3.4', '::'];
for (const input of inputs) {
  console.log('ip', JSON.stringify(input), net.isIP(input), net.isIPv4(input), net.isIPv6(input));
}
