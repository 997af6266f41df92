// parity: group (the server and client events of one connection race, as in Node)
// A keep-alive delay of 2**31 s or more, NaN or infinite is coerced (~~(ms / 1000)), never
// thrown: TCP and Unix servers with such a delay serve every connection, setKeepAlive returns
// the socket for any value; non-numbers in the options throw before anything starts.
const net = require('net');
const path = require('path');
const HUGE = 2 ** 31 * 1000;
const ODD = [HUGE, NaN, Infinity, -Infinity, 'x', null, -5000, 2 ** 53];

function tryThrow(label, fn) {
  try { fn(); console.log(label, 'ok'); } catch (e) { console.log(label, e.code, e.name); }
}
tryThrow('check server delay string', () => net.createServer({ keepAliveInitialDelay: 'x' }));
tryThrow('check socket delay string', () => new net.Socket({ keepAliveInitialDelay: 'x' }));
tryThrow('check socket delay NaN', () => new net.Socket({ keepAliveInitialDelay: NaN }).destroy());
tryThrow('check socket hwm NaN', () => new net.Socket({ highWaterMark: NaN }));
tryThrow('check setTimeout NaN', () => new net.Socket().setTimeout(NaN));
tryThrow('check setTimeout Infinity', () => new net.Socket().setTimeout(Infinity));

function round(label, listenArgs, next) {
  const server = net.createServer({ keepAlive: true, keepAliveInitialDelay: HUGE }, (conn) => {
    console.log('server', label, 'connection');
    conn.pipe(conn);
  });
  server.listen(...listenArgs, () => {
    const address = server.address();
    const where = typeof address === 'string' ? { path: address } : { port: address.port, host: '127.0.0.1' };
    const client = net.connect({ ...where, keepAlive: true, keepAliveInitialDelay: HUGE, timeout: NaN }, () => {
      console.log('client', label, 'connect');
      const same = ODD.every((delay) => client.setKeepAlive(true, delay) === client);
      console.log('client', label, 'setKeepAlive returns the socket', same);
      client.end('ping');
    });
    client.on('data', (data) => console.log('client', label, 'data', data.toString()));
    client.on('close', (hadError) => {
      console.log('client', label, 'close', hadError);
      server.close(() => { console.log('server', label, 'closed'); next(); });
    });
  });
}

round('tcp', [0, '127.0.0.1'], () => round('ipc', [path.join(process.env.PARITY_DIR, 'k.sock')], () => {}));
