// destroy() right after connect(): no 'connect', no 'error', one 'close' (false).
const net = require('net');
const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.on('connect', () => console.log('client connect?!'));
  client.on('error', (err) => console.log('client error?!', err.code));
  client.on('close', (hadError) => {
    console.log('client close', hadError, client.destroyed, client.connecting);
    server.close(() => console.log('server closed'));
  });
  client.destroy();
  console.log('client destroyed', client.destroyed, client.connecting);
});
