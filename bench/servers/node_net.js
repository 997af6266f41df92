// Echo server: Node `net`, c.pipe(c).  Usage: node node_net.js --port N | --path P [--host H]
'use strict';
const net = require('net');

const args = process.argv.slice(2);
const opt = {};
for (let i = 0; i < args.length; i += 2) opt[args[i].replace(/^--/, '')] = args[i + 1];

const server = net.createServer((c) => {
  c.on('error', () => {});
  c.pipe(c);
});
server.on('listening', () => console.log('ready'));
if (opt.path) server.listen(opt.path);
else server.listen(Number(opt.port), opt.host || '127.0.0.1', 511);
