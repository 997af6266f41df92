# What connect() makes of lookup input: bad hints throw (default lookup only), an
# array is options without a port, a custom lookup gets Node's hints, and names
# Python's idna codec refuses fail as getaddrinfo errors ('lookup', 'error', 'close').
import gnet as net
from _trace import log

tries = [
    lambda: net.connect({'port': 80, 'hints': 98}),
    lambda: net.connect({'port': 80, 'hints': -1}),
    lambda: net.connect({'port': 80, 'hints': '8'}),
    lambda: net.Socket().connect([{'port': 80}, lambda: None]),
    lambda: net.connect({'port': 9, 'host': '127.0.0.1', 'hints': 98}).on('error', lambda e: None).destroy(),
    lambda: net.connect({'port': 80, 'host': 'x.test', 'hints': 98,
                         'lookup': lambda *a: None}).destroy(),
]
for t in tries:
    try:
        t()
        log('no throw')
    except net.errors.NodeError as err:
        # gnet names Python's types in ERR_INVALID_ARG_TYPE: str for JS string
        log('throw', err.code, err.name, str(err).replace('type str ', 'type string '))
for options in [{}, {'family': 4}, {'hints': 8}]:
    def lookup(host, opts, cb):
        log('lookup hints', opts['hints'])
    net.connect(dict({'port': 80, 'host': 'x.test', 'lookup': lookup}, **options)).destroy()


def fail(host, next=None):
    client = net.connect(42, host)
    client.on('lookup', lambda err, address, family, name: log(
        'client lookup', err.code, err.syscall, err.hostname == host, address, family, name == host))
    client.on('error', lambda err: log(
        'client error', err.code, str(err) == 'getaddrinfo %s %s' % (err.code, host)))

    def on_close(had_error):
        log('client close', had_error)
        if next:
            next()
    client.on('close', on_close)


fail('*' * 64, lambda: fail('x' * 256))
net.run()
