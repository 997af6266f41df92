// end(data) right after connect(): 'connect' first, the data and the end follow.
const net = require('net');
const server = net.createServer((conn) => {
  let got = '';
  conn.on('data', (d) => { got += d; });
  conn.on('end', () => {
    console.log('server got', got);
    conn.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.end('early bye');
  console.log('client ended', client.writableEnded, client.connecting);
  client.on('connect', () => console.log('client connect'));
  client.on('finish', () => console.log('client finish'));
  client.on('close', () => {
    console.log('client close');
    server.close();
  });
  client.resume();
});
