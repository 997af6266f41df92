// parity: group
// allowHalfOpen false (the default): the peer's end ends our side too.
const net = require('net');
const server = net.createServer((conn) => {
  conn.on('end', () => console.log('server end', conn.writable));
  conn.on('finish', () => console.log('server finish'));
  conn.on('close', (hadError) => console.log('server close', hadError));
  conn.resume();
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.end('x'));
  client.on('finish', () => console.log('client finish'));
  client.on('end', () => console.log('client end'));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close();
  });
  client.resume();
});
