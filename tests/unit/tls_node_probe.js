// What node's tls reports for a list of handshakes, as JSON on stdout.
// Usage: node tls_node_probe.js cases.json
// Each case: {name, key, cert, ca (list of PEM or null), client_key?, client_cert?,
//             server_ca?, request_cert?}. For each, a tls server presents
// key/cert (the chain), a client connects with rejectUnauthorized: false and
// the CA list; the result is both sides' authorizationError and
// getPeerCertificate(true), buffers as hex and a self-reference as "[self]".
'use strict';
const tls = require('tls');
const fs = require('fs');

function plain(cert, seen = new Set()) {
  if (cert == null) return cert;
  if (Buffer.isBuffer(cert)) return { hex: cert.toString('hex') };
  if (Array.isArray(cert)) return cert.map((v) => plain(v, seen));
  if (typeof cert !== 'object') return cert;
  seen.add(cert);
  const out = {};
  for (const key of Object.keys(cert)) {
    const value = cert[key];
    if (value === undefined) continue;
    out[key] = seen.has(value) ? '[self]' : plain(value, new Set(seen));
  }
  return out;
}

function run(c) {
  return new Promise((resolve) => {
    const result = { name: c.name };
    const server = tls.createServer({
      key: c.key, cert: c.cert, requestCert: !!c.request_cert, rejectUnauthorized: false,
      ca: c.server_ca || undefined,
    }, (s) => {
      result.server_authorized = s.authorized;
      result.server_error = s.authorizationError || null;
      result.server_peer = plain(s.getPeerCertificate(true));
      s.end();
    });
    server.listen(0, '127.0.0.1', () => {
      const opts = {
        port: server.address().port, host: '127.0.0.1', servername: 'localhost',
        rejectUnauthorized: false, ca: c.ca || undefined, checkServerIdentity: () => undefined,
      };
      if (c.client_cert) { opts.key = c.client_key; opts.cert = c.client_cert; }
      const sock = tls.connect(opts, () => {
        result.client_authorized = sock.authorized;
        result.client_error = sock.authorizationError || null;
        result.client_error_message = sock.authorizationError ? String(sock._handle.verifyError().message) : null;
        result.peer = plain(sock.getPeerCertificate(true));
        result.peer_short = plain(sock.getPeerCertificate(false));
      });
      sock.on('error', (e) => { result.socket_error = String(e.code || e.message); });
      sock.on('data', () => {});
      sock.on('close', () => { server.close(() => resolve(result)); });
    });
  });
}

(async () => {
  const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const results = [];
  for (const c of cases) results.push(await run(c));
  process.stdout.write(JSON.stringify(results));
})();
