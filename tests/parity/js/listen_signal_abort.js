// listen({signal}): aborting the signal closes the server.
const net = require('net');
const controller = new AbortController();
const server = net.createServer();
server.on('close', () => console.log('server close', server.listening));
server.listen({ port: 0, host: '127.0.0.1', signal: controller.signal }, () => {
  console.log('server listening');
  controller.abort();
  console.log('aborted', server.listening);
});
