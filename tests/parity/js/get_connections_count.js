// getConnections(cb) counts open connections, asynchronously.
const net = require('net');
const conns = [];
const server = net.createServer((conn) => {
  conns.push(conn);
  conn.resume();
  if (conns.length === 2) {
    server.getConnections((err, n) => {
      console.log('connections', err, n);
      conns[0].on('close', () => {
        server.getConnections((err2, m) => {
          console.log('connections after one closed', err2, m);
          conns[1].destroy();
          server.close(() => console.log('closed'));
        });
      });
      conns[0].destroy();
    });
    console.log('getConnections returned');
  }
});
server.listen(0, '127.0.0.1', () => {
  for (let i = 0; i < 2; i++) {
    const c = net.connect(server.address().port, '127.0.0.1');
    c.resume();
    c.on('error', () => {});
  }
});
