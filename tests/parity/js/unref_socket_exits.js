// parity: group
// Unref'd server and sockets: the process exits with the connection still open.
const net = require('net');
const server = net.createServer((conn) => {
  conn.unref();
  console.log('server connection');
});
server.listen(0, '127.0.0.1', () => {
  server.unref();
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    console.log('client connect');
    console.log('client unref-returns-socket', client.unref() === client);
  });
});
process.on('exit', () => console.log('exit'));
