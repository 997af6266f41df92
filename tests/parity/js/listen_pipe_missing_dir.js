// Listening on a Unix socket path in a directory that does not exist: libuv reports
// EACCES (not ENOENT) as a 'listen' error event; connecting there is ENOENT.
const net = require('net');
const path = require('path');
const where = path.join(process.env.PARITY_DIR, 'no-such-dir', 'server.sock');
const server = net.createServer();
server.on('error', (err) => {
  console.log('server error', err.code, err.syscall, err.address === where,
              err.message === `listen EACCES: permission denied ${where}`);
  console.log('server listening', server.listening);
  const client = net.connect(where);
  client.on('error', (e) => console.log('client error', e.code, e.syscall));
  client.on('close', (hadError) => console.log('client close', hadError));
});
server.listen(where, () => console.log('server listening?!'));
