// A custom lookup answering a family other than 4 or 6: an 'error' (ERR_INVALID_ADDRESS_FAMILY),
// not a throw; with autoSelectFamily such answers are skipped while a valid one is left.
// (test-net-options-lookup.js)
const net = require('net');

function attempt(label, options, answer, next) {
  const socket = net.connect(Object.assign({ host: 'localhost', port: 0 }, options, {
    lookup(host, opts, cb) {
      console.log(label, 'lookup all', opts.all === true);
      setImmediate(() => answer(opts, cb));
    },
  }));
  socket.on('lookup', (err, address, family) => console.log(label, 'event lookup', err, address, family));
  socket.on('connect', () => { console.log(label, 'connect'); socket.destroy(); });
  socket.on('error', (err) => console.log(label, 'error', err.code, err.name, err.message, err.host, err.port));
  socket.on('close', (hadError) => { console.log(label, 'close', hadError); next(); });
}

const server = net.createServer((conn) => conn.destroy());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const steps = [
    (next) => attempt('one', { autoSelectFamily: false }, (o, cb) => cb(null, '127.0.0.1', 100), next),
    (next) => attempt('all', { autoSelectFamily: true }, (o, cb) => cb(null, [{ address: '127.0.0.1', family: 100 }]), next),
    (next) => attempt('string', { autoSelectFamily: false }, (o, cb) => cb(null, '127.0.0.1', '4'), next),
    (next) => attempt('badip', { autoSelectFamily: true }, (o, cb) => cb(null, [{ address: 'nope', family: 4 }, { address: '127.0.0.1', family: 7 }]), next),
    (next) => attempt('skip', { autoSelectFamily: true, port },
      (o, cb) => cb(null, [{ address: '127.0.0.1', family: 100 }, { address: '127.0.0.1', family: 4 }]), next),
    (next) => { server.close(); next(); },
  ];
  const run = () => { const step = steps.shift(); if (step) step(run); };
  run();
});
