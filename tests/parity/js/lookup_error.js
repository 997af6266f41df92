// A lookup that fails (later): 'lookup' with the error, then 'error', then 'close' (true).
const net = require('net');
const client = net.connect({
  port: 80,
  host: 'parity.invalid',
  lookup(hostname, options, callback) {
    const err = new Error('no such host');
    err.code = 'ENOTFOUND';
    setImmediate(() => callback(err));
  },
});
client.on('lookup', (err, address, family, host) => {
  console.log('client lookup', err.code, address, family, host);
});
client.on('error', (err) => console.log('client error', err.code, err.message));
client.on('close', (hadError) => console.log('client close', hadError));
