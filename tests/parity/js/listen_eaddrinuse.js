// A second server on a busy port gets an asynchronous EADDRINUSE 'error'.
const net = require('net');
const first = net.createServer();
first.listen(0, '127.0.0.1', () => {
  const port = first.address().port;
  const second = net.createServer();
  second.on('error', (err) => {
    console.log('second error', err.code, err.syscall, err.address, err.port === port);
    console.log('second message', err.message.replace(String(port), 'PORT'));
    console.log('second listening', second.listening);
    first.close(() => console.log('first closed'));
  });
  second.on('listening', () => console.log('second listening?!'));
  second.listen(port, '127.0.0.1');
  console.log('second listen returned');
});
