// onread with a static buffer: reads land in the user's buffer, at most its size each.
const net = require('net');
const server = net.createServer((conn) => conn.end('abcdefghij'));
server.listen(0, '127.0.0.1', () => {
  const buffer = Buffer.alloc(4);
  let got = '';
  let largest = 0;
  const client = net.connect({
    port: server.address().port,
    host: '127.0.0.1',
    onread: {
      buffer,
      callback(nread, buf) {
        if (buf !== buffer) console.log('a different buffer?!');
        largest = Math.max(largest, nread);
        got += buf.toString('latin1', 0, nread);
      },
    },
  });
  client.on('data', () => console.log('data event?!'));
  client.on('end', () => console.log('client end', got, largest));
  client.on('close', () => server.close());
});
