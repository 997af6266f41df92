// parity: group
// SNI: the server sees the name the client sent (false without one); an SNICallback
// chooses the context per name, or refuses the name.
const tls = require('tls');
const pki = require('./_pki');
const other = tls.createSecureContext({ key: pki('inter_leaf.key'), cert: pki('inter_leaf.chain.pem') });
const server = tls.createServer({
  key: pki('leaf.key'),
  cert: pki('leaf.crt'),
  SNICallback: (name, cb) => {
    console.log('server SNICallback', name);
    if (name === 'refused.test') cb(new Error('not here'));
    else cb(null, name === 'other.test' ? other : undefined);
  },
});
server.on('secureConnection', (conn) => {
  console.log('server secureConnection', conn.servername);
  conn.end();
});
server.on('tlsClientError', (err) => console.log('server tlsClientError', err.code, err.message));
const names = ['a.test', 'other.test', null, 'refused.test'];

function next(i) {
  if (i === names.length) {
    server.close();
    return;
  }
  const client = tls.connect({ port: server.address().port, host: '127.0.0.1', ca: pki('root.crt'),
    servername: names[i] || undefined, checkServerIdentity: () => undefined });
  client.on('secureConnect', () => {
    const cert = client.getPeerCertificate();
    console.log('client', i, 'secureConnect', client.authorized, cert.issuer.CN);
  });
  client.on('error', (err) => console.log('client', i, 'error', err.code));
  client.on('close', (hadError) => {
    console.log('client', i, 'close', hadError);
    next(i + 1);
  });
  client.resume();
}
server.listen(0, '127.0.0.1', () => next(0));
