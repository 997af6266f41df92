// What keeps a cluster worker alive: 'message'/'disconnect' listeners on
// process (Node's rule for an IPC channel) and a message being written,
// nothing else.  Node's cluster registers such listeners on every worker's
// process; gnet's cluster.worker registers none, so this worker drops Node's
// own first and both run the one rule.  Cases, one worker after the other:
// 'message' (held until the primary's ping; exits once its listener has
// removed itself), 'none' (exits by itself), 'send' (10 MB written, then exits).
const cluster = require('cluster');
const cases = ['message', 'none', 'send'];

if (cluster.isPrimary) {
  const next = (i) => {
    if (i === cases.length) return;
    const name = cases[i];
    const worker = cluster.fork({ CASE: name });
    let timer = null;
    worker.on('online', () => {
      console.log(name, 'online');
      if (name === 'message') {
        timer = setTimeout(() => {
          console.log(name, 'running', !worker.isDead());
          worker.send('ping');
        }, 200);
      }
    });
    worker.on('message', (m) => console.log(name, 'message', m.length > 100 ? m.length : m));
    worker.on('exit', (code, signal) => {
      clearTimeout(timer);
      console.log(name, 'exit', code, signal);
      next(i + 1);
    });
  };
  next(0);
} else {
  process.removeAllListeners('message');
  process.removeAllListeners('disconnect');
  const name = process.env.CASE;
  if (name === 'message') {
    const answer = (m) => {
      process.send('got ' + m);
      process.removeListener('message', answer);
    };
    process.on('message', answer);
  } else if (name === 'send') {
    process.send('x'.repeat(10 * 1000 * 1000));
  }
}
