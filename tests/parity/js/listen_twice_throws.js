// listen() on a listening server throws synchronously.
const net = require('net');
const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  try {
    server.listen(0, '127.0.0.1');
    console.log('no throw?!');
  } catch (err) {
    console.log('throw', err.code, err.name);
  }
  server.close(() => console.log('closed'));
});
