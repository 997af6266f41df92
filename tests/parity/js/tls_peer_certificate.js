// parity: group
// getPeerCertificate() and getCertificate(): Node's keys and values for the server's leaf
// (seen by the client) and the client's certificate (seen by the server, mutual TLS).
const tls = require('tls');
const pki = require('./_pki');

function show(who, cert) {
  console.log(who, 'subject', JSON.stringify(cert.subject));
  console.log(who, 'issuer', JSON.stringify(cert.issuer));
  console.log(who, 'subjectaltname', cert.subjectaltname);
  console.log(who, 'valid', cert.valid_from, '/', cert.valid_to);
  console.log(who, 'fingerprint256', cert.fingerprint256);
  console.log(who, 'fingerprint', cert.fingerprint);
  console.log(who, 'serialNumber', cert.serialNumber);
  console.log(who, 'raw', cert.raw.length, 'ca', cert.ca, 'bits', cert.bits);
}
const server = tls.createServer({ key: pki('leaf.key'), cert: pki('leaf.crt'), ca: pki('root.crt'),
  requestCert: true });
server.on('secureConnection', (conn) => {
  show('server peer', conn.getPeerCertificate());
  console.log('server own', conn.getCertificate().subject.CN);
  conn.end();
  server.close();
});
server.listen(0, '127.0.0.1', () => {
  const client = tls.connect({ port: server.address().port, host: '127.0.0.1', ca: pki('root.crt'),
    servername: 'localhost', key: pki('client.key'), cert: pki('client.crt') }, () => {
    show('client peer', client.getPeerCertificate());
    const detailed = client.getPeerCertificate(true);
    console.log('client chain', detailed.issuerCertificate.subject.CN,
      detailed.issuerCertificate.issuerCertificate === detailed.issuerCertificate);
    console.log('client own', client.getCertificate().subject.CN);
  });
  client.resume();
});
