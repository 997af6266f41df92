// A SOCKS5-style handshake read with `await once(socket, 'data')` inside the
// 'connection' listener (greeting, then request, then a relay), over TCP and
// then over a Unix socket; the client awaits too.
const net = require('net');
const path = require('path');
const { once } = require('events');

async function handle(socket) {
  const [greeting] = await once(socket, 'data');
  console.log('server greeting', greeting.toString('hex'));
  socket.write(Buffer.from([5, 0]));
  const [request] = await once(socket, 'data');
  console.log('server request', request.toString('hex'));
  socket.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 80]));
  socket.on('data', (d) => {
    console.log('server relay', d.toString());
    socket.write(d);
  });
  socket.on('end', () => {
    console.log('server end');
    socket.end();
  });
}

async function client(options) {
  const sock = net.connect(options);
  await once(sock, 'connect');
  sock.write(Buffer.from([5, 1, 0]));
  const [method] = await once(sock, 'data');
  console.log('client method', method.toString('hex'));
  sock.write(Buffer.from([5, 1, 0, 1, 127, 0, 0, 1, 0, 80]));
  const [reply] = await once(sock, 'data');
  console.log('client reply', reply.toString('hex'));
  sock.write('hello');
  const [echo] = await once(sock, 'data');
  console.log('client echo', echo.toString());
  sock.end();
  const [hadError] = await once(sock, 'close');
  console.log('client close', hadError);
}

async function serve(name, listenArgs, connectOptions) {
  console.log('main', name);
  const server = net.createServer((socket) => {
    handle(socket);
  });
  server.listen(...listenArgs);
  await once(server, 'listening');
  await client(connectOptions(server));
  server.close();
  await once(server, 'close');
  console.log('server close');
}

async function main() {
  await serve('tcp', [0, '127.0.0.1'],
    (server) => ({ port: server.address().port, host: '127.0.0.1' }));
  const file = path.join(process.env.PARITY_DIR, 'socks.sock');
  await serve('ipc', [file], () => ({ path: file }));
}

main();
