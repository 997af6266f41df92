// readyState: opening -> open -> readOnly (we ended) -> closed.
const net = require('net');
const server = net.createServer({ allowHalfOpen: true }, (conn) => {
  conn.resume();
  conn.on('end', () => setTimeout(() => conn.end(), 20));
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  console.log('client', client.readyState);
  client.on('connect', () => {
    console.log('client', client.readyState);
    client.end();
    console.log('client after-end', client.readyState);
  });
  client.on('finish', () => console.log('client finish', client.readyState));
  client.on('end', () => console.log('client end', client.readyState));
  client.on('close', () => {
    console.log('client close', client.readyState);
    server.close();
  });
  client.resume();
});
