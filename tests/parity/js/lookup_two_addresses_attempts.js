// Two looked-up addresses, both refused: one attempt each ('connectionAttempt' and
// 'connectionAttemptFailed'), then a single 'error' and 'close'.
const net = require('net');
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const client = net.connect({
      port,
      host: 'parity.invalid',
      autoSelectFamily: true,
      lookup(hostname, options, callback) {
        setImmediate(() => callback(null, [{ address: '127.0.0.1', family: 4 },
                                           { address: '127.0.0.2', family: 4 }]));
      },
    });
    client.on('lookup', (err, address, family) => console.log('lookup', err, address, family));
    client.on('connectionAttempt', (address, p, family) => {
      console.log('attempt', address, p === port, family);
    });
    client.on('connectionAttemptFailed', (address, p, family, err) => {
      console.log('attempt failed', address, family, err.code);
    });
    client.on('error', (err) => console.log('error', err.code));
    client.on('close', (hadError) => {
      console.log('close', hadError, client.autoSelectFamilyAttemptedAddresses.length);
    });
  });
});
