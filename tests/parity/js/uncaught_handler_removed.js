// Once the last 'uncaughtException' listener is removed, an uncaught
// exception crashes the process again.
function handler(err, origin) {
  console.log('handler', err.message, origin);
  process.removeListener('uncaughtException', handler);
}
process.on('uncaughtException', handler);
setTimeout(() => {
  throw new Error('first');
}, 1);
setTimeout(() => {
  console.log('second timer');
  throw new Error('second');
}, 10);
setTimeout(() => console.log('not reached'), 50);
