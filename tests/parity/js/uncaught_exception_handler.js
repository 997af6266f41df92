// process.on('uncaughtException'): nothing crashes while a handler is
// registered.  The monitor sees each exception first; a 'data' listener and a
// 'connection' listener that throw leave their socket serving; an 'error'
// nobody listens to (a refused connect) and a throwing timer reach the handler.
const net = require('net');

let client;
process.on('uncaughtExceptionMonitor', (err, origin) => {
  console.log('monitor', err.code || err.message, origin);
});
process.on('uncaughtException', (err, origin) => {
  console.log('handler', err.code || err.message, origin);
  if (err.message === 'data listener failed') client.write('again');
});

const server = net.createServer((conn) => {
  conn.on('data', (d) => {
    console.log('server data', d.toString());
    if (d.toString() === 'boom') throw new Error('data listener failed');
    conn.write('echo ' + d);
  });
  conn.on('end', () => {
    console.log('server end');
    conn.end();
  });
  conn.on('close', (hadError) => console.log('server conn close', hadError, conn.destroyed));
  throw new Error('connection listener failed');
});

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  client = net.connect(port, '127.0.0.1', () => client.write('boom'));
  client.on('data', (d) => {
    console.log('client data', d.toString());
    client.end();
  });
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    server.close(() => {
      console.log('server close');
      const refused = net.connect(port, '127.0.0.1');
      refused.on('close', (hadError) => {
        console.log('refused close', hadError);
        setTimeout(() => {
          throw new Error('timer failed');
        }, 1);
        setTimeout(() => console.log('still running'), 5);
      });
    });
  });
});
