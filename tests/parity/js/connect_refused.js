// Connecting to a closed port: one 'error' (ECONNREFUSED), then 'close' with hadError.
const net = require('net');
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const client = net.connect(port, '127.0.0.1');
    client.on('connect', () => console.log('client connect?!'));
    client.on('error', (err) => {
      console.log('client error', err.code, err.syscall, err.address, err.port === port);
      console.log('client message', err.message.replace(String(port), 'PORT'));
    });
    client.on('close', (hadError) => console.log('client close', hadError, client.destroyed));
  });
});
