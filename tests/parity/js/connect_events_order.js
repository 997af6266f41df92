// connecting/pending/readyState before and after 'connect'; 'connect' before 'ready'.
const net = require('net');
const server = net.createServer((conn) => conn.end());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  console.log('client connecting', client.connecting, client.pending, client.readyState);
  client.on('lookup', () => console.log('client lookup?!'));
  client.on('connect', () => {
    console.log('client connect', client.connecting, client.pending, client.readyState);
  });
  client.on('ready', () => console.log('client ready'));
  client.on('end', () => console.log('client end', client.readyState));
  client.on('close', (hadError) => {
    console.log('client close', hadError, client.readyState);
    server.close();
  });
  client.resume();
});
