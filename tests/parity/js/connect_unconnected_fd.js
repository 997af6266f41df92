// parity: group
// new net.Socket({fd}) on a bound but unconnected socket, then connect(): the
// socket connects that very descriptor (Unix and TCP alike; the TCP one keeps
// its bound port).  One never connected fails its first read as Node's does.
const net = require('net');
const path = require('path');
const { Pipe, constants: PipeConstants } = process.binding('pipe_wrap');
const { TCP, constants: TCPConstants } = process.binding('tcp_wrap');

function serve(name, listenArgs, connect) {
  const server = net.createServer((conn) => {
    conn.on('data', (data) => console.log(name + 'server', 'data', String(data)));
    conn.on('end', () => {
      conn.end();
      server.close();
    });
  });
  server.listen(...listenArgs, () => connect(server));
}

serve('pipe', [path.join(process.env.PARITY_DIR, 'server')], () => {
  const handle = new Pipe(PipeConstants.SOCKET);
  handle.bind(path.join(process.env.PARITY_DIR, 'client'));
  const fd = handle.fd;
  const client = new net.Socket({ fd });
  console.log('pipe before', client.readyState, client.pending, client.connecting);
  client.connect({ path: path.join(process.env.PARITY_DIR, 'server') }, () => {
    console.log('pipe connect', client._handle.fd === fd, client.readyState);
    client.end('over the pipe');
  });
  client.on('end', () => console.log('pipe end'));
  client.on('close', (hadError) => console.log('pipe close', hadError));
});

serve('tcp', [0, '127.0.0.1'], (server) => {
  const handle = new TCP(TCPConstants.SOCKET);
  handle.bind('127.0.0.1', 0);
  const out = {};
  handle.getsockname(out);
  const fd = handle.fd;
  const client = new net.Socket({ fd });
  console.log('tcp before', client.readyState, client.pending, client.connecting);
  client.connect(server.address().port, '127.0.0.1', () => {
    console.log('tcp connect', client._handle.fd === fd, client.localPort === out.port,
                client.remotePort === server.address().port);
    client.end('over tcp');
  });
  client.on('end', () => console.log('tcp end'));
  client.on('close', (hadError) => console.log('tcp close', hadError));
});

const lonely = new TCP(TCPConstants.SOCKET);
lonely.bind('127.0.0.1', 0);
const never = new net.Socket({ fd: lonely.fd });
never.on('error', (err) => console.log('never error', err.code, err.syscall));
never.on('close', (hadError) => console.log('never close', hadError));
