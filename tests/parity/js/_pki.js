// The bytes of a file of the run's test PKI (PARITY_PKI; the Python side: _trace.pki).
const fs = require('fs');
const path = require('path');
module.exports = (name) => fs.readFileSync(path.join(process.env.PARITY_PKI, name));
