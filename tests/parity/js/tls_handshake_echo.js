// parity: group
// A TLS handshake and an echo: each side's events in order, what each side knows after
// the handshake, and the byte counts (plaintext) after the exchange.
// Node's server 'connection' gives the raw socket, gnet's the TLS socket: only the event is shown.
const tls = require('tls');
const pki = require('./_pki');
const server = tls.createServer({ key: pki('leaf.key'), cert: pki('leaf.crt') });
server.on('connection', () => console.log('server connection'));
server.on('secureConnection', (conn) => {
  console.log('server secureConnection', conn.encrypted, conn.authorized, conn.getProtocol());
  console.log('server cipher', conn.getCipher().version, conn.alpnProtocol, conn.servername);
  conn.on('data', (d) => {
    console.log('server data', d.toString());
    conn.end('echo: ' + d.toString());
  });
  conn.on('end', () => console.log('server end'));
  conn.on('close', (hadError) => {
    console.log('server close', hadError, conn.bytesRead, conn.bytesWritten);
    server.close(() => console.log('server closed'));
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = tls.connect({ port: server.address().port, host: '127.0.0.1', ca: pki('root.crt'),
    servername: 'localhost' }, () => console.log('client callback'));
  console.log('client start', client.encrypted, client.authorized,
    client.getCipher(), client.bytesWritten);
  client.on('connect', () => console.log('client connect'));
  client.on('ready', () => console.log('client ready'));
  client.on('secureConnect', () => {
    console.log('client secureConnect', client.authorized, client.authorizationError,
      client.getProtocol(), client.getCipher().version);
    console.log('client alpn', client.alpnProtocol, client.servername);
    client.write('hello');
  });
  client.on('secure', () => console.log('client secure'));
  client.on('data', (d) => console.log('client data', d.toString()));
  client.on('end', () => console.log('client end'));
  client.on('close', (hadError) => console.log('client close', hadError, client.bytesRead,
    client.bytesWritten));
});
