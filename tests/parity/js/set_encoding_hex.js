// setEncoding('hex') and ('base64') on two connections; writes with string encodings.
const net = require('net');
let seen = 0;
const server = net.createServer((conn) => {
  const enc = seen++ === 0 ? 'hex' : 'base64';
  conn.setEncoding(enc);
  let got = '';
  conn.on('data', (d) => { got += d; });
  conn.on('end', () => {
    console.log('server', enc, got);
    conn.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const a = net.connect(server.address().port, '127.0.0.1', () => {
    a.write('aGk=', 'base64');
    a.write('ff00', 'hex');
    a.end('\u00e9', 'latin1');
  });
  a.resume();
  a.on('close', () => {
    const b = net.connect(server.address().port, '127.0.0.1', () => b.end('hello'));
    b.resume();
    b.on('close', () => server.close());
  });
});
