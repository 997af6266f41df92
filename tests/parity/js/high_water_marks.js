// parity: group
// Node 20's default high-water mark is 16 KiB, for sockets as for every stream; a server's
// highWaterMark reaches its accepted sockets (both sides), its readableHighWaterMark does not.
const net = require('net');
const stream = require('stream');
const show = (s) => `${s.readableHighWaterMark} ${s.writableHighWaterMark}`;
console.log('module new-socket', show(new net.Socket()));
console.log('module socket-hwm', show(new net.Socket({ highWaterMark: 1000 })));
console.log('module socket-split', show(new net.Socket({ readableHighWaterMark: 1000, writableHighWaterMark: 2000 })));
console.log('module streams', new stream.Readable().readableHighWaterMark, new stream.Writable().writableHighWaterMark);

const cases = [['default', {}], ['hwm', { highWaterMark: 1000 }], ['readable', { readableHighWaterMark: 3000 }]];
function next() {
  const item = cases.shift();
  if (!item) return;
  const [label, options] = item;
  const server = net.createServer(options, (conn) => {
    console.log('server', label, show(conn));
    conn.end();
  });
  server.listen(0, '127.0.0.1', () => {
    const client = net.connect({ port: server.address().port, host: '127.0.0.1', highWaterMark: 500 },
                               () => console.log('client', label, show(client)));
    client.resume();
    client.on('close', () => server.close(next));
  });
}
next();
