// parity: group
// A client that speaks plain text to a TLS server: the server's tlsClientError (with
// OpenSSL's reason), the client sees the connection end; the server serves on.
const tls = require('tls');
const net = require('net');
const pki = require('./_pki');
const server = tls.createServer({ key: pki('leaf.key'), cert: pki('leaf.crt') });
server.on('tlsClientError', (err, sock) => {
  console.log('server tlsClientError', err.code, err.library, err.reason, sock.destroyed);
});
server.on('secureConnection', () => console.log('server secureConnection?!'));
const lines = ['GET / HTTP/1.0\r\n\r\n', 'hello, plain world\r\n'];

function next(i) {
  if (i === lines.length) {
    server.close(() => console.log('server closed'));
    return;
  }
  const client = net.connect(server.address().port, '127.0.0.1', () => client.write(lines[i]));
  client.on('data', (d) => console.log('client', i, 'data', d.length));
  client.on('end', () => console.log('client', i, 'end'));
  client.on('error', (err) => console.log('client', i, 'error', err.code));
  client.on('close', () => {
    console.log('client', i, 'close');
    next(i + 1);
  });
}
server.listen(0, '127.0.0.1', () => next(0));
