// A paused socket emits no 'data' until resume(); nothing is lost.
const net = require('net');
const server = net.createServer((conn) => {
  conn.pause();
  console.log('server paused', conn.isPaused());
  let got = '';
  conn.on('data', (d) => { got += d; });
  conn.on('pause', () => console.log('server pause-event'));
  conn.on('resume', () => console.log('server resume-event'));
  setTimeout(() => {
    console.log('server before-resume', JSON.stringify(got));
    conn.resume();
    console.log('server resumed', conn.isPaused());
  }, 100);
  conn.on('end', () => {
    console.log('server end', got);
    conn.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.write('abc');
    client.end('def');
  });
  client.on('close', () => server.close());
  client.resume();
});
