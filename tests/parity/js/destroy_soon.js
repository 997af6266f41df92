// parity: group
// destroySoon(): end, then destroy once the queued data is flushed ('finish' then 'close').
const net = require('net');
const server = net.createServer((conn) => {
  let got = 0;
  conn.on('data', (d) => { got += d.length; });
  conn.on('end', () => {
    console.log('server got', got);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.write(Buffer.alloc(100000, 7));
    client.destroySoon();
    console.log('client after destroySoon', client.destroyed, client.writableEnded);
  });
  client.on('finish', () => console.log('client finish', client.destroyed));
  client.on('close', (hadError) => console.log('client close', hadError));
});
