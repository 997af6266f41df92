// A TLS-terminating proxy in Node: TLS clients in front, a plain TCP target
// behind, every connection piped both ways with backpressure and half-close.
// examples/tls_proxy.py is the same program in gnet, line by line.
//
// Run: node examples/tls_proxy.js CERT KEY [TARGET_PORT [TARGET_HOST [LISTEN_PORT]]] [--once]
// (CERT and KEY are PEM files; defaults 8124, 127.0.0.1, 0 = any free port;
// --once: serve one connection)
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const tls = require('node:tls');

const args = process.argv.slice(2).filter((arg) => arg !== '--once');
const once = process.argv.includes('--once');
const [certFile, keyFile] = args;
const targetPort = Number(args[2] || 8124);
const targetHost = args[3] || '127.0.0.1';
const listenPort = Number(args[4] || 0);

const server = tls.createServer({
  cert: fs.readFileSync(certFile),
  key: fs.readFileSync(keyFile),
  allowHalfOpen: true,
}, (client) => {
  console.log(`secure: ${client.getProtocol()}`);
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

server.on('tlsClientError', (err) => {
  console.error(`TLS handshake failed: ${err.code}`);
});

server.listen(listenPort, '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`listening on ${address}:${port}`);
});
