// listen(0) without a host binds inside listen(): address() works on the next line,
// 'listening' and the callback come later.
const net = require('net');
const server = net.createServer();
server.listen(0, () => console.log('server listen-callback'));
const a = server.address();
console.log('server address', a.address, a.family, Number.isInteger(a.port), a.port > 0);
console.log('server listening-flag', server.listening);
server.on('listening', () => {
  console.log('server listening');
  server.close(() => console.log('server closed'));
});
console.log('main done');
