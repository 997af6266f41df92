// write() after end(): the callback and an 'error' get ERR_STREAM_WRITE_AFTER_END.
const net = require('net');
const server = net.createServer((conn) => conn.resume());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.end();
    const ret = client.write('late', (err) => console.log('client write-callback', err.code));
    console.log('client write returned', ret);
  });
  client.on('error', (err) => console.log('client error', err.code));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close();
  });
});
