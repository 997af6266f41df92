// setEncoding('utf8'): a character split across two reads arrives whole.
const net = require('net');
const euro = Buffer.from('\u20ac', 'utf8');
const server = net.createServer((conn) => {
  conn.setEncoding('utf8');
  conn.on('data', (d) => console.log('server data', typeof d, d.length, JSON.stringify(d)));
  conn.on('end', () => { console.log('server end'); conn.end(); });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.setNoDelay(true);
    client.write(euro.subarray(0, 1));
    setTimeout(() => client.end(Buffer.concat([euro.subarray(1), Buffer.from('ok')])), 50);
  });
  client.on('close', () => server.close());
  client.resume();
});
