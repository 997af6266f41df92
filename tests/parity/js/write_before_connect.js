// Writes made while connecting are queued and sent after 'connect'.
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
  console.log('client write', client.write('hello '), client.connecting);
  console.log('client write', client.write('world'), client.writableLength);
  client.end();
  client.on('connect', () => console.log('client connect'));
  client.on('close', () => {
    console.log('client close', client.bytesWritten);
    server.close();
  });
  client.resume();
});
