// parity: group
// Over maxConnections a connection is closed at once and 'drop' is emitted.
const net = require('net');
const server = net.createServer((conn) => {
  console.log('server connection');
  conn.resume();
  conn.on('close', () => server.close(() => console.log('server closed')));
  const second = net.connect(server.address().port, '127.0.0.1');
  second.on('connect', () => console.log('second connect'));
  second.on('end', () => console.log('second end'));
  second.on('close', (hadError) => {
    console.log('second close', hadError);
    first.end();
  });
  second.resume();
});
server.maxConnections = 1;
let first;
server.on('drop', (data) => {
  console.log('server drop', data.localAddress, data.localFamily, data.remoteAddress,
              data.remoteFamily, data.localPort === server.address().port,
              Number.isInteger(data.remotePort));
});
server.listen(0, '127.0.0.1', () => {
  console.log('server max', server.maxConnections);
  first = net.connect(server.address().port, '127.0.0.1');
  first.resume();
});
