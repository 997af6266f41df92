// parity: group
// ALPN: a protocol both sides know is agreed (both see it); a client that offers none gets
// false; a client whose protocols the server does not know fails the handshake.
const tls = require('tls');
const pki = require('./_pki');
const server = tls.createServer({ key: pki('leaf.key'), cert: pki('leaf.crt'),
  ALPNProtocols: ['h2', 'http/1.1'] });
server.on('secureConnection', (conn) => {
  console.log('server secureConnection', conn.alpnProtocol);
  conn.resume();
});
server.on('tlsClientError', (err) => console.log('server tlsClientError', err.code));
const offers = [['http/1.1', 'h2'], ['http/1.1'], null, ['spdy/1']];

function next(i) {
  if (i === offers.length) {
    server.close();
    return;
  }
  const client = tls.connect({ port: server.address().port, host: '127.0.0.1', ca: pki('root.crt'),
    servername: 'localhost', ALPNProtocols: offers[i] || undefined });
  client.on('secureConnect', () => {
    console.log('client', i, 'secureConnect', client.alpnProtocol);
    client.end();
  });
  client.on('error', (err) => console.log('client', i, 'error', err.code));
  client.on('close', (hadError) => {
    console.log('client', i, 'close', hadError);
    next(i + 1);
  });
}
server.listen(0, '127.0.0.1', () => next(0));
