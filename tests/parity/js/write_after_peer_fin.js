// allowHalfOpen false: once the peer's FIN ended the socket, a write fails
// with Node's EPIPE "This socket has been ended by the other party".
const net = require('net');
const server = net.createServer((conn) => conn.end());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.resume();
  client.on('end', () => {
    console.log('client end', client.writableEnded);
    setImmediate(() => {
      console.log('client writableEnded', client.writableEnded);
      const ret = client.write('late', (err) => console.log('write cb', err.code, err.message));
      console.log('write returned', ret);
    });
  });
  client.on('error', (err) => console.log('client error', err.code, err.message));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close();
  });
});
