// A listener that throws crashes the process (after what it printed).
const net = require('net');
const server = net.createServer((conn) => {
  conn.on('data', (d) => {
    console.log('server data', d.toString());
    throw new Error('listener failed');
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.write('boom'));
  client.on('error', () => {});
});
