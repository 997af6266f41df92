// parity: group
// Every net.Socket has one 'end' listener of its own (Node's onReadableStreamEnd),
// whatever allowHalfOpen says; with allowHalfOpen false it turns a later write
// into EPIPE.  Removed, a write after the peer's FIN is ERR_STREAM_WRITE_AFTER_END.
const net = require('net');
for (const allowHalfOpen of [false, true, undefined]) {
  console.log('new', allowHalfOpen, new net.Socket({ allowHalfOpen }).listenerCount('end'));
}
console.log('duplex', new (require('stream').Duplex)({ allowHalfOpen: false }).listenerCount('end'));
const server = net.createServer((conn) => {
  console.log('server listeners', conn.listenerCount('end'));
  conn.end();
});
server.listen(0, '127.0.0.1', () => {
  let closed = 0;
  for (const name of ['kept', 'removed']) {
    const client = net.connect(server.address().port, '127.0.0.1');
    if (name === 'removed') client.removeAllListeners('end');
    console.log(name, 'listeners', client.listenerCount('end'));
    client.resume();
    client.on('end', () => setImmediate(() => {
      client.write('late', (err) => console.log(name, 'write cb', err.code));
    }));
    client.on('error', (err) => console.log(name, 'error', err.code));
    client.on('close', () => {
      console.log(name, 'close');
      if (++closed === 2) server.close();
    });
  }
});
