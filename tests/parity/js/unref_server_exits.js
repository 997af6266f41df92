// An unref'd listening server does not keep the process alive ('listening' still fires).
const net = require('net');
const server = net.createServer();
server.listen(0, '127.0.0.1', () => console.log('server listening'));
console.log('unref returns server', server.unref() === server);
process.on('exit', () => console.log('exit', server.listening));
