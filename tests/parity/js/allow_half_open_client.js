// parity: group
// A client with allowHalfOpen: after the server's end it may still write.
const net = require('net');
const server = net.createServer((conn) => {
  let got = '';
  conn.on('data', (d) => { got += d; });
  conn.on('end', () => console.log('server end', got));
  conn.on('close', () => server.close());
  conn.end('server done');
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true });
  client.on('data', (d) => console.log('client data', d.toString()));
  client.on('end', () => {
    console.log('client end', client.writable, client.readyState);
    client.end('late from client');
  });
  client.on('close', (hadError) => console.log('client close', hadError));
});
