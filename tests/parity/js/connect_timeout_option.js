// net.connect({timeout}) sets the idle timeout: 'connect', then 'timeout'.
const net = require('net');
const server = net.createServer((conn) => conn.resume());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect({ port: server.address().port, host: '127.0.0.1', timeout: 50 });
  client.on('connect', () => console.log('client connect', client.timeout));
  client.on('timeout', () => {
    console.log('client timeout');
    client.end();
  });
  client.on('close', () => {
    console.log('client close');
    server.close();
  });
  client.resume();
});
