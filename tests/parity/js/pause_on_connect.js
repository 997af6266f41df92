// pauseOnConnect: the accepted socket does not read until resume().
const net = require('net');
const server = net.createServer({ pauseOnConnect: true }, (conn) => {
  console.log('server connection paused', conn.isPaused());
  let got = '';
  conn.on('data', (d) => { got += d; });
  setTimeout(() => {
    console.log('server before-resume', JSON.stringify(got));
    conn.resume();
  }, 100);
  conn.on('end', () => {
    console.log('server end', got);
    conn.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.end('payload'));
  client.on('close', () => server.close());
  client.resume();
});
