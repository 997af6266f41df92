// An 'error' nobody listens to is an uncaught exception: the process dies (exit code 1).
const net = require('net');
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const client = net.connect(port, '127.0.0.1');
    client.on('close', () => console.log('client close?!'));
    console.log('connecting without an error listener');
  });
});
