// write() after destroy(): the callback gets ERR_STREAM_DESTROYED, no 'error' event.
const net = require('net');
const server = net.createServer((conn) => conn.resume());
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.destroy();
    const ret = client.write('late', (err) => console.log('client write-callback', err.code));
    console.log('client write returned', ret);
  });
  client.on('error', (err) => console.log('client error?!', err.code));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close();
  });
});
