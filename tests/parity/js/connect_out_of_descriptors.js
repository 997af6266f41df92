// socket() failing for lack of descriptors while connecting (EMFILE): the socket's 'error'
// then 'close' (true), never a throw -- a TCP connect, one binding a local address (a 'bind'
// error, before any attempt), two looked-up addresses (each attempt fails, then one
// AggregateError) and a Unix path; once descriptors are freed, a connect works again.
// The scenario runs itself under RLIMIT_NOFILE 64 (prlimit; Python sets it directly).
// Not traced: Node's 'connectionAttempt'/'connectionAttemptFailed' for a Unix path, which
// gnet does not emit (attempt events are TCP-only in gnet).
const { spawnSync } = require('child_process');
if (process.argv[2] !== 'limited') {
  const child = spawnSync('prlimit', ['--nofile=64', process.execPath, __filename, 'limited'],
                          { stdio: 'inherit' });
  process.exit(child.status === null ? 1 : child.status);
}
const net = require('net');
const fs = require('fs');
const path = require('path');

const where = path.join(process.env.PARITY_DIR, 'emfile.sock');
const filler = [];
const tcp = net.createServer((conn) => conn.end());
const ipc = net.createServer((conn) => conn.end());

function fill() {
  try {
    for (;;) filler.push(fs.openSync('/dev/null', 'r'));
  } catch (err) {
    console.log('filled', err.code);
  }
}

function trace(label, client, port, address) {
  client.on('lookup', (err, addr, family) => console.log(label, 'lookup', err, addr, family));
  if (address === where) return traceEnd(label, client, port, address);
  client.on('connectionAttempt', (addr, p, family) => {
    console.log(label, 'attempt', addr, p === port, family);
  });
  client.on('connectionAttemptFailed', (addr, p, family, err) => {
    console.log(label, 'attempt failed', addr, family, err.code, err.syscall);
  });
  traceEnd(label, client, port, address);
}

function traceEnd(label, client, port, address) {
  client.on('connect', () => console.log(label, 'connect'));
  client.on('error', (err) => {
    console.log(label, 'error', err.name, err.code, err.syscall, err.address === address,
                err.port === (address === where ? undefined : port),
                (err.errors || []).map((e) => e.code).join(','));
  });
}

function attempt(cases, done) {
  if (!cases.length) return done();
  const [label, options, address] = cases.shift();
  const client = new net.Socket();
  trace(label, client, options.port, address);
  client.on('close', (hadError) => {
    console.log(label, 'close', hadError);
    attempt(cases, done);
  });
  client.connect(options);
  console.log(label, 'connect returned');
}

tcp.listen(0, '127.0.0.1', () => ipc.listen(where, () => {
  const port = tcp.address().port;
  fill();
  const lookup = (host, options, callback) => setImmediate(() => callback(null, [
    { address: '127.0.0.1', family: 4 }, { address: '127.0.0.2', family: 4 }]));
  attempt([
    ['tcp', { port, host: '127.0.0.1' }, '127.0.0.1'],
    ['bind', { port, host: '127.0.0.1', localAddress: '127.0.0.1' }, '127.0.0.1'],
    ['two', { port, host: 'parity.invalid', autoSelectFamily: true, lookup }, undefined],
    ['ipc', { path: where }, where],
  ], () => {
    filler.forEach((fd) => fs.closeSync(fd));
    const again = net.connect(port, '127.0.0.1', () => console.log('again connect'));
    again.on('close', (hadError) => {
      console.log('again close', hadError);
      tcp.close();
      ipc.close();
    });
  });
}));
