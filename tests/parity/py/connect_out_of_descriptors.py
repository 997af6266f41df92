# socket() failing for lack of descriptors while connecting (EMFILE): the socket's 'error'
# then 'close' (true), never a throw -- a TCP connect, one binding a local address (a 'bind'
# error, before any attempt), two looked-up addresses (each attempt fails, then one
# AggregateError) and a Unix path; once descriptors are freed, a connect works again.
# The scenario runs itself under RLIMIT_NOFILE 64 (prlimit; Python sets it directly).
# Not traced: Node's 'connectionAttempt'/'connectionAttemptFailed' for a Unix path, which
# gnet does not emit (attempt events are TCP-only in gnet).
import os
import resource

import gnet as net
from _trace import log, parity_dir

resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

where = os.path.join(parity_dir(), 'emfile.sock')
filler = []
tcp = net.createServer(lambda conn: conn.end())
ipc = net.createServer(lambda conn: conn.end())


def fill():
    try:
        while True:
            filler.append(os.open('/dev/null', os.O_RDONLY))
    except OSError:
        log('filled', 'EMFILE')


def trace(label, client, port, address):
    client.on('lookup', lambda err, addr, family, host: log(label, 'lookup', err, addr, family))
    if address == where:
        return trace_end(label, client, port, address)
    client.on('connectionAttempt', lambda addr, p, family: log(label, 'attempt', addr, p == port,
                                                               family))
    client.on('connectionAttemptFailed', lambda addr, p, family, err: log(
        label, 'attempt failed', addr, family, err.code, err.syscall))
    trace_end(label, client, port, address)


def trace_end(label, client, port, address):
    client.on('connect', lambda: log(label, 'connect'))
    client.on('error', lambda err: log(
        label, 'error', err.name, err.code, getattr(err, 'syscall', None),
        getattr(err, 'address', None) == address,
        getattr(err, 'port', None) == (None if address == where else port),
        ','.join(e.code for e in getattr(err, 'errors', []))))


def attempt(cases, done):
    if not cases:
        return done()
    label, options, address = cases.pop(0)
    client = net.Socket()
    trace(label, client, options.get('port'), address)

    def on_close(had_error):
        log(label, 'close', had_error)
        attempt(cases, done)
    client.on('close', on_close)
    client.connect(options)
    log(label, 'connect returned')


def on_listening():
    port = tcp.address()['port']
    fill()

    def lookup(host, options, callback):
        net.setImmediate(lambda: callback(None, [{'address': '127.0.0.1', 'family': 4},
                                                 {'address': '127.0.0.2', 'family': 4}]))

    def after():
        for fd in filler:
            os.close(fd)
        again = net.connect(port, '127.0.0.1', lambda: log('again connect'))

        def on_again_close(had_error):
            log('again close', had_error)
            tcp.close()
            ipc.close()
        again.on('close', on_again_close)
    attempt([
        ['tcp', {'port': port, 'host': '127.0.0.1'}, '127.0.0.1'],
        ['bind', {'port': port, 'host': '127.0.0.1', 'localAddress': '127.0.0.1'}, '127.0.0.1'],
        ['two', {'port': port, 'host': 'parity.invalid', 'autoSelectFamily': True,
                 'lookup': lookup}, None],
        ['ipc', {'path': where}, where],
    ], after)


tcp.listen(0, '127.0.0.1', lambda: ipc.listen(where, on_listening))
net.run()
