// parity: group
// remote/local address properties on both ends; gone once destroyed.
const net = require('net');
const server = net.createServer((conn) => {
  console.log('server remote', conn.remoteAddress, conn.remoteFamily, Number.isInteger(conn.remotePort));
  console.log('server local', conn.localAddress, conn.localPort === server.address().port, conn.localFamily);
  conn.on('close', () => server.close());
  conn.resume();
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    console.log('client remote', client.remoteAddress, client.remoteFamily,
                client.remotePort === server.address().port);
    console.log('client local', client.localAddress, Number.isInteger(client.localPort), client.localFamily);
    const a = client.address();
    console.log('client address', a.address, a.family, a.port === client.localPort);
    client.destroy();
  });
});
