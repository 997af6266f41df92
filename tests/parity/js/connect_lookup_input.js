// What connect() makes of lookup input: bad hints throw (default lookup only), an
// array is options without a port, a custom lookup gets Node's hints, and names
// Python's idna codec refuses fail as getaddrinfo errors ('lookup', 'error', 'close').
const net = require('net');
const tries = [
  () => net.connect({ port: 80, hints: 98 }),
  () => net.connect({ port: 80, hints: -1 }),
  () => net.connect({ port: 80, hints: '8' }),
  () => new net.Socket().connect([{ port: 80 }, () => {}]),
  () => net.connect({ port: 9, host: '127.0.0.1', hints: 98 }).on('error', () => {}).destroy(),
  () => net.connect({ port: 80, host: 'x.test', hints: 98, lookup() {} }).destroy(),
];
for (const t of tries) {
  try {
    t();
    console.log('no throw');
  } catch (err) {
    console.log('throw', err.code, err.name, err.message);
  }
}
for (const options of [{}, { family: 4 }, { hints: 8 }]) {
  const lookup = (host, opts, cb) => console.log('lookup hints', opts.hints);
  net.connect({ port: 80, host: 'x.test', lookup, ...options }).destroy();
}

function fail(host, next) {
  const client = net.connect(42, host);
  client.on('lookup', (err, address, family, name) => {
    console.log('client lookup', err.code, err.syscall, err.hostname === host, address, family,
                name === host);
  });
  client.on('error', (err) => {
    console.log('client error', err.code, err.message === `getaddrinfo ${err.code} ${host}`);
  });
  client.on('close', (hadError) => {
    console.log('client close', hadError);
    if (next) next();
  });
}
fail('*'.repeat(64), () => fail('x'.repeat(256)));
