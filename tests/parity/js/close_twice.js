// Two close() calls in a row: the second callback gets ERR_SERVER_NOT_RUNNING.
const net = require('net');
const server = net.createServer();
server.on('close', () => console.log('close event'));
server.listen(0, '127.0.0.1', () => {
  server.close((err) => console.log('first callback', err ? err.code : 'ok'));
  server.close((err) => console.log('second callback', err ? err.code : 'ok'));
});
