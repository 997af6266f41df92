// setTimeout(ms): 'timeout' after ms idle; the socket stays open until destroyed.
const net = require('net');
const server = net.createServer((conn) => conn.resume());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.setTimeout(50, () => {
      console.log('client timeout-callback');
    });
    console.log('client timeout-property', client.timeout);
  });
  client.on('timeout', () => {
    console.log('client timeout', client.destroyed, client.readyState);
    client.destroy();
  });
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close();
  });
});
