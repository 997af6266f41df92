// address() is null once the server closed; listening is false.
const net = require('net');
const server = net.createServer();
console.log('before listen', server.address(), server.listening);
server.listen(0, '127.0.0.1', () => {
  console.log('listening', server.address().family, server.listening);
  server.close();
  console.log('after close', server.address(), server.listening);
});
server.on('close', () => console.log('close', server.address()));
