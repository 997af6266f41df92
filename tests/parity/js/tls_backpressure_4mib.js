// parity: group
// 4 MiB through a TLS echo, byte-exact: the client writes in 64 KiB chunks while write()
// says yes and waits for 'drain' when it says no; the sha256 of what came back, and
// whether write() ever said no (each side's highWaterMark is 16 KiB).
const tls = require('tls');
const crypto = require('crypto');
const pki = require('./_pki');
const TOTAL = 4 * 1024 * 1024;
const CHUNK = 65536;
const payload = Buffer.alloc(TOTAL);
for (let i = 0; i < TOTAL; i++) payload[i] = (i * 7 + (i >> 12)) & 0xff;
const server = tls.createServer({ key: pki('leaf.key'), cert: pki('leaf.crt') }, (conn) => {
  conn.pipe(conn);
  conn.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const client = tls.connect({ port: server.address().port, host: '127.0.0.1', ca: pki('root.crt'),
    servername: 'localhost' });
  const hash = crypto.createHash('sha256');
  let received = 0;
  let refused = false;
  client.on('data', (d) => {
    hash.update(d);
    received += d.length;
    if (received === TOTAL) {
      console.log('client received', received, hash.digest('hex') ===
        crypto.createHash('sha256').update(payload).digest('hex'));
      console.log('client counts', client.bytesWritten, client.bytesRead);
      client.end();
    }
  });
  let offset = 0;
  function pump() {
    while (offset < TOTAL) {
      const ok = client.write(payload.subarray(offset, offset + CHUNK));
      offset += CHUNK;
      if (!ok) {
        refused = true;
        client.once('drain', pump);
        return;
      }
    }
    console.log('client wrote all', refused);
  }
  client.on('secureConnect', pump);
  client.on('close', (hadError) => console.log('client close', hadError));
});
