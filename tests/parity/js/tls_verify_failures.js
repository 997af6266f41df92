// A server certificate the client cannot trust: Node's codes and messages with
// rejectUnauthorized (an 'error', no 'secureConnect'), and authorized/authorizationError
// without it. One case after the other.
const tls = require('tls');
const pki = require('./_pki');
const cases = [
  ['trusted', 'leaf', 'root.crt', 'a.test'],
  ['self-signed', 'self_signed', 'root.crt', null],
  ['expired', 'expired', 'root.crt', null],
  ['unknown-ca', 'leaf', 'other_root.crt', null],
  ['altname', 'leaf', 'root.crt', 'b.test'],
];

function attempt(server, c, reject, done) {
  const client = tls.connect({ port: server.address().port, host: '127.0.0.1', ca: pki(c[2]),
    servername: c[3] || undefined, rejectUnauthorized: reject });
  client.on('secureConnect', () => {
    console.log(c[0], reject, 'secureConnect', client.authorized, client.authorizationError);
    client.end();
  });
  client.on('error', (err) => console.log(c[0], reject, 'error', err.code, err.message));
  client.on('close', (hadError) => {
    console.log(c[0], reject, 'close', hadError);
    done();
  });
}

function next(i) {
  if (i === cases.length) return;
  const c = cases[i];
  const server = tls.createServer({ key: pki(c[1] + '.key'), cert: pki(c[1] + '.crt') });
  server.on('tlsClientError', () => {});
  server.on('secureConnection', (conn) => {
    conn.on('error', () => {});
    conn.resume();
  });
  server.listen(0, '127.0.0.1', () => {
    attempt(server, c, true, () => attempt(server, c, false, () => {
      server.close();
      next(i + 1);
    }));
  });
}
next(0);
