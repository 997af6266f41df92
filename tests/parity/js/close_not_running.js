// close() on a server that never listened: 'close' still fires, the callback gets an error.
const net = require('net');
const server = net.createServer();
server.on('close', () => console.log('close event'));
server.close((err) => console.log('close callback', err && err.code, err && err.name));
console.log('close returned');
