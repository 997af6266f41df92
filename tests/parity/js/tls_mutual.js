// parity: group
// Mutual TLS: a client certificate the server's CA signed is authorized (the server sees
// its subject); a client without a certificate is refused (the server's tlsClientError);
// without rejectUnauthorized it gets in, unauthorized.
const tls = require('tls');
const pki = require('./_pki');
const cases = [
  ['with-cert', true, 'client'],
  ['without-cert', true, null],
  ['untrusted-cert', true, 'self_signed'],
  ['lenient-without-cert', false, null],
  ['lenient-untrusted-cert', false, 'self_signed'],
];

function next(i) {
  if (i === cases.length) return;
  const [name, reject, cred] = cases[i];
  const server = tls.createServer({ key: pki('leaf.key'), cert: pki('leaf.crt'), ca: pki('root.crt'),
    requestCert: true, rejectUnauthorized: reject });
  server.on('secureConnection', (conn) => {
    const peer = conn.getPeerCertificate();
    console.log('server', name, 'secureConnection', conn.authorized, conn.authorizationError);
    console.log('server', name, 'peer', peer.subject && peer.subject.CN, peer.issuer && peer.issuer.CN,
      Object.keys(peer).length > 0);
    conn.on('error', () => {});
    conn.end('bye');
  });
  server.on('tlsClientError', (err) => console.log('server', name, 'tlsClientError', err.code));
  server.listen(0, '127.0.0.1', () => {
    const options = { port: server.address().port, host: '127.0.0.1', ca: pki('root.crt'),
      servername: 'localhost' };
    if (cred) {
      options.key = pki(cred + '.key');
      options.cert = pki(cred + '.crt');
    }
    const client = tls.connect(options);
    client.on('secureConnect', () => console.log('client', name, 'secureConnect', client.authorized));
    client.on('data', (d) => console.log('client', name, 'data', d.toString()));
    client.on('error', (err) => console.log('client', name, 'error', err.code));
    client.on('close', () => {
      console.log('client', name, 'close');
      server.close(() => next(i + 1));
    });
  });
}
next(0);
