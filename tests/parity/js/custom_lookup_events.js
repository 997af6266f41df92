// A custom lookup function answering later: 'lookup' is emitted with its answer, then 'connect'.
const net = require('net');
const server = net.createServer((conn) => conn.end());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect({
    port: server.address().port,
    host: 'parity.invalid',
    lookup(hostname, options, callback) {
      console.log('lookup called', hostname, options.all === true);
      setImmediate(() => {
        if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      });
    },
  });
  client.on('lookup', (err, address, family, host) => {
    console.log('client lookup', err, address, family, host);
  });
  client.on('connect', () => console.log('client connect', client.remoteAddress));
  client.on('close', () => server.close());
  client.resume();
});
