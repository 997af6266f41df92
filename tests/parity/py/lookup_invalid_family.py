# A custom lookup answering a family other than 4 or 6: an 'error' (ERR_INVALID_ADDRESS_FAMILY),
# not a throw; with autoSelectFamily such answers are skipped while a valid one is left.
# (test-net-options-lookup.js)
import gnet as net
from _trace import log


def attempt(label, options, answer, next_step):
    def lookup(host, opts, cb):
        log(label, 'lookup all', opts.get('all') is True)
        net.setImmediate(answer, opts, cb)

    socket = net.connect(dict({'host': 'localhost', 'port': 0}, **options, lookup=lookup))
    socket.on('lookup', lambda err, address, family, host: log(label, 'event lookup', err,
                                                               address, family))

    def on_connect():
        log(label, 'connect')
        socket.destroy()
    socket.on('connect', on_connect)
    socket.on('error', lambda err: log(label, 'error', err.code, err.name, err.message,
                                       getattr(err, 'host', None), getattr(err, 'port', None)))

    def on_close(had_error):
        log(label, 'close', had_error)
        next_step()
    socket.on('close', on_close)


server = net.createServer(lambda conn: conn.destroy())


def on_listening():
    port = server.address()['port']

    def close_server(next_step):
        server.close()
        next_step()
    steps = [
        lambda n: attempt('one', {'autoSelectFamily': False},
                          lambda o, cb: cb(None, '127.0.0.1', 100), n),
        lambda n: attempt('all', {'autoSelectFamily': True},
                          lambda o, cb: cb(None, [{'address': '127.0.0.1', 'family': 100}]), n),
        lambda n: attempt('string', {'autoSelectFamily': False},
                          lambda o, cb: cb(None, '127.0.0.1', '4'), n),
        lambda n: attempt('badip', {'autoSelectFamily': True},
                          lambda o, cb: cb(None, [{'address': 'nope', 'family': 4},
                                                  {'address': '127.0.0.1', 'family': 7}]), n),
        lambda n: attempt('skip', {'autoSelectFamily': True, 'port': port},
                          lambda o, cb: cb(None, [{'address': '127.0.0.1', 'family': 100},
                                                  {'address': '127.0.0.1', 'family': 4}]), n),
        close_server,
    ]

    def run():
        if steps:
            steps.pop(0)(run)
    run()


server.listen(0, '127.0.0.1', on_listening)
net.run()
