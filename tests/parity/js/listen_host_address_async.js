// listen(0, host) looks the host up first: address() is null until 'listening'.
const net = require('net');
const server = net.createServer();
server.listen(0, '127.0.0.1');
console.log('server address-now', server.address());
console.log('server listening-flag', server.listening);
server.on('listening', () => {
  const a = server.address();
  console.log('server listening', a.address, a.family, a.port > 0, server.listening);
  server.close();
});
server.on('close', () => console.log('server close', server.address()));
