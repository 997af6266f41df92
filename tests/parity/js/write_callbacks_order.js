// Write callbacks run once each, in order, before the end callback and 'finish'.
const net = require('net');
const server = net.createServer((conn) => conn.resume());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    for (let i = 1; i <= 3; i++) client.write('chunk' + i, (err) => console.log('write-callback', i, err));
    client.end((err) => console.log('end-callback', err));
  });
  client.on('finish', () => console.log('finish'));
  client.on('close', () => server.close(() => console.log('closed')));
  client.resume();
});
