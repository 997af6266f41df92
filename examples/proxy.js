// A TCP proxy in Node: every connection is piped to the target, both ways,
// with backpressure, and a half-close (FIN) is forwarded.
// examples/proxy.py is the same program in gnet, line by line.
//
// Run: node examples/proxy.js [TARGET_PORT [TARGET_HOST [LISTEN_PORT]]] [--once]
// (defaults 8124, 127.0.0.1, 0 = any free port; --once: serve one connection)
'use strict';
const net = require('node:net');

const args = process.argv.slice(2).filter((arg) => arg !== '--once');
const once = process.argv.includes('--once');
const targetPort = Number(args[0] || 8124);
const targetHost = args[1] || '127.0.0.1';
const listenPort = Number(args[2] || 0);

const server = net.createServer({ allowHalfOpen: true }, (client) => {
  const upstream = net.createConnection({
    port: targetPort,
    host: targetHost,
    allowHalfOpen: true,
  });
  const started = Date.now();
  client.pipe(upstream);
  upstream.pipe(client);
  const fail = (err) => {
    console.error(`proxy error: ${err.message}`);
    client.destroy();
    upstream.destroy();
  };
  client.on('error', fail);
  upstream.on('error', fail);
  client.on('close', () => {
    const ms = Date.now() - started;
    console.log(`closed: ${client.bytesRead} bytes up, ${client.bytesWritten} bytes down, ${ms} ms`);
  });
  if (once) server.close();
});

server.listen(listenPort, '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`listening on ${address}:${port}`);
});
