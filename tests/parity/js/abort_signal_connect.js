// An AbortSignal aborted while connecting destroys the socket with an AbortError.
const net = require('net');
const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  const controller = new AbortController();
  const client = net.connect({ port: server.address().port, host: '127.0.0.1', signal: controller.signal });
  client.on('connect', () => console.log('client connect?!'));
  client.on('error', (err) => console.log('client error', err.name, err.code));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close(() => console.log('server closed'));
  });
  controller.abort();
  console.log('aborted', client.destroyed);
});
