// SocketAddress: defaults and explicit values.
const net = require('net');
const a = new net.SocketAddress();
console.log('default', a.address, a.port, a.family, a.flowlabel);
const b = new net.SocketAddress({ address: '::1', family: 'ipv6', port: 8080, flowlabel: 5 });
console.log('v6', b.address, b.port, b.family, b.flowlabel);
const c = new net.SocketAddress({ address: '10.1.2.3', port: 443 });
console.log('v4', c.address, c.port, c.family);
