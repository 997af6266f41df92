// parity: group
// bytesRead / bytesWritten on both ends after an exchange.
const net = require('net');
const server = net.createServer((conn) => {
  conn.on('data', () => conn.end('world!'));
  conn.on('close', () => {
    console.log('server bytes', conn.bytesRead, conn.bytesWritten);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.write('hello'));
  console.log('client bytes-before', client.bytesRead, client.bytesWritten);
  client.on('data', (d) => console.log('client data', d.length));
  client.on('end', () => client.end());
  client.on('close', () => console.log('client bytes', client.bytesRead, client.bytesWritten));
});
