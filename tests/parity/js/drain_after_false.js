// A write beyond the high-water mark returns false; exactly one 'drain' follows.
const net = require('net');
const size = 4 * 1024 * 1024;
const server = net.createServer((conn) => {
  let got = 0;
  conn.on('data', (d) => { got += d.length; });
  conn.on('end', () => {
    console.log('server got', got === size);
    conn.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    console.log('client write', client.write(Buffer.alloc(size, 1)), client.writableNeedDrain);
  });
  let drains = 0;
  client.on('drain', () => {
    drains++;
    console.log('client drain', drains, client.writableLength, client.writableNeedDrain);
    client.end();
  });
  client.on('close', () => {
    console.log('client close drains', drains);
    server.close();
  });
  client.resume();
});
