// 'connection' comes before the first 'data' of that socket, even if the client writes at once.
const net = require('net');
const server = net.createServer();
server.on('connection', (conn) => {
  console.log('server connection');
  conn.on('data', (d) => {
    console.log('server data', d.toString());
    conn.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.write('first');
  client.on('close', () => server.close());
  client.resume();
});
