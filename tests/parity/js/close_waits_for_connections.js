// server.close() stops accepting at once; 'close' waits for the open connection.
const net = require('net');
const server = net.createServer((conn) => {
  console.log('server connection');
  server.close(() => console.log('server close callback'));
  console.log('server listening-after-close', server.listening);
  server.getConnections((err, n) => {
    console.log('server connections', n);
    conn.end('bye');
  });
  conn.on('close', () => console.log('server conn close'));
});
server.on('close', () => console.log('server close event'));
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.resume();
  client.on('end', () => client.end());
});
