// parity: group
// Half-close over TLS (allowHalfOpen on both sides): the client ends (close_notify, FIN),
// the server sees 'end', replies and ends; the client reads the reply, then its 'end'.
const tls = require('tls');
const pki = require('./_pki');
const server = tls.createServer({ key: pki('leaf.key'), cert: pki('leaf.crt'), allowHalfOpen: true });
server.on('secureConnection', (conn) => {
  const got = [];
  conn.on('data', (d) => got.push(d.toString()));
  conn.on('end', () => {
    console.log('server end', got.join(''), conn.writable, conn.readable);
    conn.end('you said ' + got.join(''));
  });
  conn.on('finish', () => console.log('server finish'));
  conn.on('close', (hadError) => {
    console.log('server close', hadError);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = tls.connect({ port: server.address().port, host: '127.0.0.1', ca: pki('root.crt'),
    servername: 'localhost', allowHalfOpen: true }, () => client.end('goodbye'));
  client.on('finish', () => console.log('client finish', client.readable));
  client.on('data', (d) => console.log('client data', d.toString()));
  client.on('end', () => console.log('client end', client.writable));
  client.on('close', (hadError) => console.log('client close', hadError));
});
