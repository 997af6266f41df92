# Two looked-up addresses, both refused: one attempt each ('connectionAttempt' and
# 'connectionAttemptFailed'), then a single 'error' and 'close'.
import gnet as net
from _trace import log

probe = net.createServer()


def on_probe_listening():
    port = probe.address()['port']

    def lookup(hostname, options, callback):
        net.setImmediate(lambda: callback(None, [{'address': '127.0.0.1', 'family': 4},
                                                 {'address': '127.0.0.2', 'family': 4}]))

    def on_closed(err=None):
        client = net.connect({'port': port, 'host': 'parity.invalid', 'autoSelectFamily': True,
                              'lookup': lookup})
        client.on('lookup', lambda err, address, family, host: log('lookup', err, address, family))
        client.on('connectionAttempt', lambda address, p, family: log('attempt', address,
                                                                      p == port, family))
        client.on('connectionAttemptFailed', lambda address, p, family, err: log(
            'attempt failed', address, family, err.code))
        client.on('error', lambda err: log('error', err.code))
        client.on('close', lambda had_error: log(
            'close', had_error, len(client.autoSelectFamilyAttemptedAddresses)))
    probe.close(on_closed)


probe.listen(0, '127.0.0.1', on_probe_listening)
net.run()
