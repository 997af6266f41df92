// parity: group
// An open but paused socket with nothing to write does not keep the program
// alive (libuv counts only active handles); a reading one does, until closed.
const net = require('net');
const server = net.createServer((conn) => {
  console.log('server connection');
  conn.unref();
});
server.listen(0, '127.0.0.1', () => {
  const reading = net.connect(server.address().port, '127.0.0.1', () => {
    console.log('reading connect');
    setTimeout(() => {
      console.log('reading destroy');
      reading.destroy();
    }, 50).unref();
  });
  reading.on('close', () => {
    console.log('reading close');
    const paused = net.connect(server.address().port, '127.0.0.1', () => console.log('paused connect'));
    paused.pause();
    setTimeout(() => console.log('never printed'), 2000).unref();
  });
});
server.unref();
process.on('exit', () => console.log('exit'));
