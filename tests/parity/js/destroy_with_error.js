// destroy(err): 'error' with that error, then 'close' with hadError true.
const net = require('net');
const server = net.createServer((conn) => conn.resume());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.destroy(new Error('boom'));
    console.log('client destroyed', client.destroyed);
  });
  client.on('error', (err) => console.log('client error', err.message, client.errored === err));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close();
  });
});
