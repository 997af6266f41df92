// pause() inside 'connection': reading had already started, so the peer's
// bytes are buffered (readableLength) and destroy() closes with a FIN: the
// client sees 'end', not ECONNRESET.
const net = require('net');
const server = net.createServer((conn) => {
  conn.pause();
  console.log('server paused', conn.isPaused());
  const check = setInterval(() => {
    if (conn.readableLength === 5) {
      clearInterval(check);
      console.log('server buffered', conn.readableLength);
      conn.destroy();
      server.close();
    }
  }, 5);
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.write('hello'));
  client.resume();
  client.on('end', () => console.log('client end'));
  client.on('error', (err) => console.log('client error', err.code));
  client.on('close', (hadError) => console.log('client close', hadError));
});
