// parity: group
// new net.Socket({fd}) on the two ends of a FIFO (as process.stdin/stdout on pipes):
// the reader gets the data then 'end'; descriptors Node cannot stream throw.
const net = require('net');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const where = path.join(process.env.PARITY_DIR, 'fifo');
execFileSync('mkfifo', [where]);
const file = fs.openSync(__filename, 'r');
const dir = fs.openSync(process.env.PARITY_DIR, 'r');
const closed = fs.openSync(__filename, 'r');
fs.closeSync(closed);
for (const [label, fd] of [['file', file], ['dir', dir], ['closed', closed], ['negative', -1],
  ['fraction', 1.5], ['string', '3']]) {
  try {
    new net.Socket({ fd });
    console.log('reject', label, 'accepted?!');
  } catch (err) {
    console.log('reject', label, err.code, err.name, err.message.split('. Received')[0]);
  }
}
console.log('reject file still open', fs.fstatSync(file).isFile());
fs.closeSync(file);
fs.closeSync(dir);

const reader = new net.Socket({ fd: fs.openSync(where, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK) });
const writer = new net.Socket({ fd: fs.openSync(where, fs.constants.O_WRONLY), readable: false });
fs.unlinkSync(where);
console.log('reader', reader.readable, reader.writable, reader.readyState, reader.pending,
            JSON.stringify(reader.address()), reader.remoteAddress);
console.log('writer', writer.readable, writer.writable, writer.readyState, writer.pending);
let got = '';
reader.on('data', (chunk) => { got += chunk; });
reader.on('end', () => console.log('reader end', got, reader.bytesRead));
reader.on('close', (hadError) => console.log('reader close', hadError));
writer.on('finish', () => console.log('writer finish', writer.bytesWritten));
writer.on('close', (hadError) => console.log('writer close', hadError));
writer.write('hello ');
writer.end('world', () => console.log('writer end callback'));
