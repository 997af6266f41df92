// A socket that never connected: 'timeout' fires (its timer is unref'd: a
// referenced timer keeps the program alive), destroy() closes it on a tick
// with no 'close' argument, and a write queued while connecting is answered
// with ERR_SOCKET_CLOSED_BEFORE_CONNECTION.
const net = require('net');
function idleSocket() {
  const idle = new net.Socket();
  idle.setTimeout(20);
  idle.on('timeout', () => {
    console.log('idle timeout', idle.connecting, idle.pending);
    idle.destroy(new Error('boom'));
  });
  idle.on('error', (err) => console.log('idle error', err.message));
  idle.on('close', (...args) => console.log('idle close', args.length, args[0]));
  setTimeout(() => console.log('keeper done'), 200);
}

const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  const sock = net.connect(server.address().port, '127.0.0.1');
  sock.on('connect', () => console.log('sock connect'));
  sock.write('queued', (err) => console.log('sock write cb', err && err.code));
  console.log('sock bytesWritten', sock.bytesWritten);
  sock.on('close', (hadError) => {
    console.log('sock close', hadError);
    server.close();
    idleSocket();
  });
  sock.destroy();
});
