// parity: group
// A Unix socket server: address() is the path; peers have no remote address.
const net = require('net');
const path = require('path');
const where = path.join(process.env.PARITY_DIR, 's.sock');
const server = net.createServer((conn) => {
  console.log('conn remote', conn.remoteAddress, conn.remotePort, conn.remoteFamily);
  conn.end('hi');
});
server.listen(where, () => {
  console.log('server address-is-path', server.address() === where);
  const client = net.connect(where, () => {
    console.log('client connect', client.remoteAddress, JSON.stringify(client.address()));
  });
  client.on('data', (d) => console.log('client data', d.toString()));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close(() => console.log('server closed'));
  });
});
