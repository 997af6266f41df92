// A 'listening' listener added before listen(cb) runs first, one added after runs last.
const net = require('net');
const server = net.createServer();
server.on('listening', () => console.log('listener before'));
server.listen(0, '127.0.0.1', () => console.log('listen callback'));
server.on('listening', () => {
  console.log('listener after');
  server.close();
});
server.on('close', () => console.log('close'));
