// Connecting to a Unix socket path that does not exist: ENOENT, then 'close' (true).
const net = require('net');
const path = require('path');
const where = path.join(process.env.PARITY_DIR, 'missing.sock');
const client = net.connect(where);
client.on('error', (err) => {
  console.log('client error', err.code, err.syscall, err.address === where);
});
client.on('close', (hadError) => console.log('client close', hadError));
