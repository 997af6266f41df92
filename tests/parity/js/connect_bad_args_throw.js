// Bad connect() arguments throw synchronously (nothing is emitted later).
const net = require('net');
const tries = [
  () => net.connect(-1),
  () => net.connect({ port: 65536 }),
  () => net.connect({ port: 'abc' }),
  () => net.connect({}),
  () => net.connect({ port: 80, host: 5 }),
  () => net.connect({ port: 80, family: 5 }),
  () => net.connect({ path: 5 }),
  () => net.connect({ port: 80, localAddress: 'nope' }),
];
for (const t of tries) {
  try {
    t();
    console.log('no throw?!');
  } catch (err) {
    console.log('throw', err.code, err.name);
  }
}
