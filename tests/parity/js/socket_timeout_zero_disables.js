// setTimeout(0) disables the idle timeout set before.
const net = require('net');
const server = net.createServer((conn) => conn.resume());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.setTimeout(30);
    client.setTimeout(0);
    console.log('client timeout-property', client.timeout);
    setTimeout(() => {
      console.log('client still quiet');
      client.destroy();
    }, 150);
  });
  client.on('timeout', () => console.log('client timeout?!'));
  client.on('close', () => {
    console.log('client close');
    server.close();
  });
});
