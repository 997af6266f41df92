// The listen() call forms, one after another: port, port+host+backlog, options, numeric string.
const net = require('net');
const forms = [
  ['listen(0, cb)', (s, cb) => s.listen(0, cb)],
  ['listen(0, host, backlog, cb)', (s, cb) => s.listen(0, '127.0.0.1', 5, cb)],
  ['listen({port, host}, cb)', (s, cb) => s.listen({ port: 0, host: '127.0.0.1' }, cb)],
  ['listen({port: null}, cb)', (s, cb) => s.listen({ port: null, host: '127.0.0.1' }, cb)],
  ["listen('0', host, cb)", (s, cb) => s.listen('0', '127.0.0.1', cb)],
  ['listen(cb)', (s, cb) => s.listen(cb)],
];
function next(i) {
  if (i === forms.length) return;
  const [name, call] = forms[i];
  const server = net.createServer();
  call(server, () => {
    const a = server.address();
    console.log(name, a.address, a.family, a.port > 0);
    server.close(() => next(i + 1));
  });
}
next(0);
