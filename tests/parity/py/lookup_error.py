# A lookup that fails (later): 'lookup' with the error, then 'error', then 'close' (true).
import gnet as net
from _trace import log


def lookup(hostname, options, callback):
    err = net.errors.NodeError('no such host', code='ENOTFOUND')
    net.setImmediate(lambda: callback(err))


client = net.connect({'port': 80, 'host': 'parity.invalid', 'lookup': lookup})
client.on('lookup', lambda err, address, family, host: log('client lookup', err.code, address,
                                                           family, host))
client.on('error', lambda err: log('client error', err.code, str(err)))
client.on('close', lambda had_error: log('client close', had_error))
net.run()
