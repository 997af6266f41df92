// parity: group
// end(data, cb): the end callback, then 'finish'; 'end' after the peer ended; 'close' last.
const net = require('net');
const server = net.createServer((conn) => {
  conn.on('data', (d) => console.log('server data', d.toString()));
  conn.on('end', () => console.log('server end'));
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.end('bye', (err) => console.log('client end-callback', err));
  });
  client.on('finish', () => console.log('client finish'));
  client.on('end', () => console.log('client end'));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close();
  });
  client.resume();
});
