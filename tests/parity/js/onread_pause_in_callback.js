// onread: pause() inside the callback stops reading at once; the callback runs
// again only after resume() (the whole message is in the kernel before reading starts).
const net = require('net');
let client;
const server = net.createServer((conn) => {
  conn.on('finish', () => {
    console.log('server finish; client resumes');
    client.resume();
  });
  conn.end('abcdefghij');
});
server.listen(0, '127.0.0.1', () => {
  const buffer = Buffer.alloc(4);
  let paused = false;
  client = net.connect({
    port: server.address().port,
    host: '127.0.0.1',
    onread: {
      buffer,
      callback(nread, buf) {
        console.log('callback', nread, buf.toString('latin1', 0, nread), 'paused', paused);
        paused = true;
        this.pause();
        setTimeout(() => {
          paused = false;
          this.resume();
        }, 10);
      },
    },
  });
  client.on('connect', () => client.pause());
  client.on('end', () => console.log('client end'));
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close();
  });
});
