// After a listen error, listen() may be called again on the same server.
const net = require('net');
const first = net.createServer();
first.listen(0, '127.0.0.1', () => {
  const server = net.createServer();
  server.once('error', (err) => {
    console.log('server error', err.code);
    server.listen(0, '127.0.0.1', () => {
      console.log('server listening', server.address().port !== first.address().port);
      server.close(() => first.close(() => console.log('all closed')));
    });
  });
  server.listen(first.address().port, '127.0.0.1');
});
