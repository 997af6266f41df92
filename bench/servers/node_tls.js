// TLS echo server: Node `tls`, c.pipe(c).
// Usage: node node_tls.js --cert FILE --key FILE (--port N | --path P) [--host H]
'use strict';
const fs = require('fs');
const tls = require('tls');

const args = process.argv.slice(2);
const opt = {};
for (let i = 0; i < args.length; i += 2) opt[args[i].replace(/^--/, '')] = args[i + 1];

// noDelay: without it the echo waits behind the session tickets for a delayed ACK (40 ms)
const options = { key: fs.readFileSync(opt.key), cert: fs.readFileSync(opt.cert), noDelay: true };
const server = tls.createServer(options, (c) => {
  c.on('error', () => {});
  c.pipe(c);
});
server.on('tlsClientError', () => {});
server.on('listening', () => console.log('ready'));
if (opt.path) server.listen(opt.path);
else server.listen(Number(opt.port), opt.host || '127.0.0.1', 511);
