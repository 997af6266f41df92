// parity: group
// resetAndDestroy() sends RST: the peer gets ECONNRESET; we close without error.
const net = require('net');
const server = net.createServer((conn) => {
  conn.on('error', (err) => console.log('server error', err.code));
  conn.on('end', () => console.log('server end?!'));
  conn.on('close', (hadError) => {
    console.log('server close', hadError);
    server.close();
  });
  conn.resume();
  conn.write('hello', () => client.resetAndDestroy());
});
let client;
server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1');
  client.on('error', (err) => console.log('client error?!', err.code));
  client.on('close', (hadError) => console.log('client close', hadError, client.destroyed));
});
