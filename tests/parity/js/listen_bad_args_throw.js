// Bad listen() arguments throw synchronously; a string that is not a number is a pipe path.
const net = require('net');
const tries = [
  () => net.createServer().listen(65536),
  () => net.createServer().listen(-1),
  () => net.createServer().listen({ port: 'abc' }),
  () => net.createServer().listen({}),
  () => net.createServer().listen({ port: 0, host: 5 }),
  () => net.createServer().listen(true),
  () => net.createServer().listen({ fd: -1 }),
];
for (const t of tries) {
  try {
    t();
    console.log('no throw?!');
  } catch (err) {
    console.log('throw', err.code, err.name);
  }
}
