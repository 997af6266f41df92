// A socket connects again from its own 'close': the same 'data' listener and
// encoding serve each connection; bytesRead/bytesWritten start again.
const net = require('net');
let round = 0;
const server = net.createServer((conn) => {
  conn.end(`round ${round}`);
  conn.resume();
});
server.listen(0, '127.0.0.1', () => {
  const client = new net.Socket();
  client.setEncoding('utf8');
  client.on('data', (text) => console.log('client data', typeof text, text));
  client.on('connect', () => {
    console.log('client connect', client.bytesRead, client.bytesWritten);
    client.end('hi');
  });
  client.on('close', (hadError) => {
    console.log('client close', hadError, client.bytesRead, client.bytesWritten);
    if (++round < 3) client.connect(server.address().port, '127.0.0.1');
    else server.close();
  });
  client.connect(server.address().port, '127.0.0.1');
});
