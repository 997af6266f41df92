// parity: group
// allowHalfOpen true: after the peer's end we stay writable and answer.
const net = require('net');
const server = net.createServer({ allowHalfOpen: true }, (conn) => {
  conn.on('end', () => {
    console.log('server end', conn.writable, conn.readyState);
    conn.end('late reply');
  });
  conn.on('finish', () => console.log('server finish'));
  conn.on('close', (hadError) => console.log('server close', hadError));
  conn.resume();
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.end());
  client.on('data', (d) => console.log('client data', d.toString()));
  client.on('end', () => console.log('client end'));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close();
  });
});
