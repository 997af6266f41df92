// bytesWritten counts what write() was handed: while connecting, while corked,
// and 10 MB still in the writable buffer right after end().
const net = require('net');
const server = net.createServer((conn) => {
  conn.resume();
  conn.on('error', () => {});
  conn.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.write('abc');
  client.write(Buffer.alloc(7));
  console.log('connecting', client.connecting, client.bytesWritten);
  client.on('connect', () => {
    client.cork();
    client.write('0123456789');
    console.log('corked', client.bytesWritten);
    client.uncork();
    client.end(Buffer.alloc(10 * 1000 * 1000));
    console.log('after end', client.bytesWritten);
    client.destroy();
    console.log('after destroy', client.bytesWritten);
  });
});
