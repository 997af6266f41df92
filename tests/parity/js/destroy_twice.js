// destroy() is idempotent: one 'close'.
const net = require('net');
const server = net.createServer((conn) => conn.resume());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.destroy();
    client.destroy();
    client.destroy(new Error('ignored'));
  });
  client.on('error', (err) => console.log('client error?!', err.message));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    setTimeout(() => server.close(() => console.log('server closed')), 20);
  });
});
