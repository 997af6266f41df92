// write(str, 'buffer'): a connected socket's handle refuses the string
// (TypeError ERR_INVALID_ARG_TYPE "Second argument must be a buffer"); a plain
// Writable cannot make a Buffer of it (ERR_UNKNOWN_ENCODING), and one with
// decodeStrings false hands it to _write as it is.
const net = require('net');
const { Writable } = require('stream');

function attempt(label, fn) {
  try {
    fn();
    console.log(label, 'no throw');
  } catch (err) {
    console.log(label, err.name, err.code, err.message);
  }
}

attempt('writable', () => new Writable({ write(chunk, encoding, cb) { cb(); } }).write('broken', 'buffer'));
attempt('raw', () => new Writable({
  decodeStrings: false,
  write(chunk, encoding, cb) {
    console.log('raw _write', typeof chunk, chunk, encoding);
    cb();
  },
}).write('broken', 'buffer'));

const server = net.createServer((conn) => {
  conn.on('data', (data) => console.log('server data', String(data)));
  conn.on('end', () => conn.end());
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    attempt('socket', () => client.write('broken', 'buffer'));
    client.destroy();
    server.close();
  });
  client.on('close', (hadError) => console.log('client close', hadError));
});
