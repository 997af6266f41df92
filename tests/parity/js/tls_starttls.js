// parity: group
// STARTTLS: a plain connection exchanges a line, then both ends upgrade it in place
// (the client with tls.connect({socket}), the server with new TLSSocket(sock, {isServer})).
const tls = require('tls');
const net = require('net');
const pki = require('./_pki');
const context = tls.createSecureContext({ key: pki('leaf.key'), cert: pki('leaf.crt') });
const server = net.createServer((conn) => {
  conn.once('data', (line) => {
    console.log('server plain', line.toString().trim());
    conn.write('GO AHEAD\n');
    const secure = new tls.TLSSocket(conn, { isServer: true, secureContext: context });
    secure.on('secure', () => console.log('server secure', secure.encrypted, secure.getProtocol()));
    secure.on('data', (d) => {
      console.log('server data', d.toString());
      secure.end(d.toString().toUpperCase());
    });
    secure.on('close', () => {
      console.log('server close');
      server.close();
    });
  });
});
server.listen(0, '127.0.0.1', () => {
  const plain = net.connect(server.address().port, '127.0.0.1', () => plain.write('STARTTLS\n'));
  plain.once('data', (line) => {
    console.log('client plain', line.toString().trim());
    const secure = tls.connect({ socket: plain, ca: pki('root.crt'), servername: 'localhost' }, () => {
      console.log('client secureConnect', secure.authorized, secure.getProtocol());
      secure.write('now private');
    });
    secure.on('data', (d) => console.log('client data', d.toString()));
    secure.on('end', () => console.log('client end'));
    secure.on('close', (hadError) => console.log('client close', hadError));
  });
});
