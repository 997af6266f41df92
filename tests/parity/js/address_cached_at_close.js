// remoteAddress/Port/Family read while connected still answer in 'close' and
// after destroy; never read while connected, they are gone; local ones are gone.
const net = require('net');
const server = net.createServer((conn) => conn.end());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const read = net.connect(port, '127.0.0.1', () => {
    console.log('read connect', read.remoteAddress, read.remoteFamily, read.remotePort === port);
  });
  read.resume();
  read.on('close', (hadError) => {
    console.log('read close', hadError, read.remoteAddress, read.remoteFamily,
                read.remotePort === port, read.localAddress, read.localPort);
    const unread = net.connect(port, '127.0.0.1');
    unread.resume();
    unread.on('close', () => {
      console.log('unread close', unread.remoteAddress, unread.remotePort);
      server.close();
    });
  });
});
