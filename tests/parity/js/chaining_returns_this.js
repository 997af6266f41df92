// Socket and Server methods that return their object, before and after connect.
const net = require('net');
const server = net.createServer((conn) => conn.resume());
console.log('server', server.ref() === server, server.unref() === server, server.ref() === server);
server.listen(0, '127.0.0.1', () => {
  const s = new net.Socket();
  console.log('socket before', s.setNoDelay(true) === s, s.setKeepAlive(true, 1000) === s,
              s.setTimeout(0) === s, s.setEncoding('utf8') === s, s.ref() === s, s.pause() === s,
              s.resume() === s);
  s.connect(server.address().port, '127.0.0.1', () => {
    console.log('socket after', s.setNoDelay(false) === s, s.setKeepAlive(false) === s,
                s.end() === s);
  });
  s.on('close', () => console.log('close', s.destroy() === s, server.close() === server));
});
