// An exception thrown by the 'uncaughtException' handler itself is fatal:
// the process crashes with it (the monitor saw the first one).
process.on('uncaughtExceptionMonitor', (err, origin) => console.log('monitor', err.message, origin));
process.on('uncaughtException', (err, origin) => {
  console.log('handler', err.message, origin);
  throw new Error('handler failed');
});
setTimeout(() => {
  throw new Error('timer failed');
}, 1);
setTimeout(() => console.log('not reached'), 50);
