// A closed server can listen again; each listen() emits 'listening' once.
const net = require('net');
const server = net.createServer();
let round = 0;
server.on('listening', () => console.log('listening', ++round));
server.on('close', () => console.log('close', round));
server.listen(0, '127.0.0.1', () => {
  server.close(() => {
    server.listen(0, '127.0.0.1', () => server.close());
  });
});
